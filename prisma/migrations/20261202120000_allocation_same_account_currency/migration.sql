-- Money goes only where it belongs: an allocation puts a payment's money on an invoice of
-- the payment's own account, in the payment's currency. Every path that writes one
-- (the webhook, the batched checkouts, a rep applying unapplied cash, a reversal) looks
-- the invoice up by account and currency; this makes it a rule of the database too, so
-- no other path can move one customer's money onto another's invoice, or dollars onto a
-- peso invoice, and misstate both balances.
-- Statement triggers with the inserted rows as a table: the batched checkouts write many
-- allocations in one statement, and they are checked with one query, not one per row.

DO $$
BEGIN
  IF EXISTS (
    SELECT 1 FROM "PaymentAllocation" a
      JOIN "Payment" p ON p.id = a."paymentId"
      JOIN "Invoice" i ON i.id = a."invoiceId"
     WHERE p."accountId" <> i."accountId" OR p.currency <> i.currency
  ) THEN
    RAISE EXCEPTION 'an allocation puts a payment on an invoice of another account or currency; correct it before this migration';
  END IF;
END $$;

CREATE FUNCTION "allocations_match_their_invoices"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  wrong record;
BEGIN
  SELECT a."paymentId", a."invoiceId" INTO wrong
    FROM written a
    JOIN "Payment" p ON p.id = a."paymentId"
    JOIN "Invoice" i ON i.id = a."invoiceId"
   WHERE p."accountId" <> i."accountId" OR p.currency <> i.currency
   LIMIT 1;
  IF FOUND THEN
    RAISE EXCEPTION 'payment % may not be applied to invoice %: another account or currency', wrong."paymentId", wrong."invoiceId"
      USING ERRCODE = 'foreign_key_violation';
  END IF;
  RETURN NULL;
END $$;

CREATE TRIGGER "PaymentAllocation_matchesInvoice_insert" AFTER INSERT ON "PaymentAllocation"
  REFERENCING NEW TABLE AS written FOR EACH STATEMENT EXECUTE FUNCTION "allocations_match_their_invoices"();
CREATE TRIGGER "PaymentAllocation_matchesInvoice_update" AFTER UPDATE ON "PaymentAllocation"
  REFERENCING NEW TABLE AS written FOR EACH STATEMENT EXECUTE FUNCTION "allocations_match_their_invoices"();

-- The other sides: a payment or an invoice that moves to another account or currency may
-- not leave its allocations pointing across. Only an UPDATE naming those columns fires.
CREATE FUNCTION "payment_allocations_still_match"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF EXISTS (
    SELECT 1 FROM "PaymentAllocation" a JOIN "Invoice" i ON i.id = a."invoiceId"
     WHERE a."paymentId" = NEW.id AND (i."accountId" <> NEW."accountId" OR i.currency <> NEW.currency)
  ) THEN
    RAISE EXCEPTION 'payment % is applied to invoices of its account and currency', NEW.number
      USING ERRCODE = 'foreign_key_violation';
  END IF;
  RETURN NULL;
END $$;

CREATE TRIGGER "Payment_allocationsStillMatch" AFTER UPDATE OF "accountId", currency ON "Payment"
  FOR EACH ROW EXECUTE FUNCTION "payment_allocations_still_match"();

CREATE FUNCTION "invoice_allocations_still_match"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF EXISTS (
    SELECT 1 FROM "PaymentAllocation" a JOIN "Payment" p ON p.id = a."paymentId"
     WHERE a."invoiceId" = NEW.id AND (p."accountId" <> NEW."accountId" OR p.currency <> NEW.currency)
  ) THEN
    RAISE EXCEPTION 'invoice % has payments of its account and currency applied to it', NEW.number
      USING ERRCODE = 'foreign_key_violation';
  END IF;
  RETURN NULL;
END $$;

CREATE TRIGGER "Invoice_allocationsStillMatch" AFTER UPDATE OF "accountId", currency ON "Invoice"
  FOR EACH ROW EXECUTE FUNCTION "invoice_allocations_still_match"();
