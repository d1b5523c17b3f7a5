-- A dispute is about one of its own account's invoices. The code that opens one looks
-- the invoice up by the signed-in account; this makes it a rule of the database, so no
-- other path (a script, an import, a later feature) can file one account's dispute
-- against another account's invoice and show that invoice on the wrong account's pages.
-- Constraint triggers rather than a composite foreign key: Prisma's relation to the
-- invoice stays as it is.

DO $$
BEGIN
  IF EXISTS (SELECT 1 FROM "Dispute" d JOIN "Invoice" i ON i.id = d."invoiceId" WHERE i."accountId" <> d."accountId") THEN
    RAISE EXCEPTION 'a dispute is on an invoice of another account; correct it before this migration';
  END IF;
END $$;

CREATE FUNCTION "dispute_invoice_same_account"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM "Invoice" i WHERE i.id = NEW."invoiceId" AND i."accountId" = NEW."accountId") THEN
    RAISE EXCEPTION 'dispute % is on invoice % of another account', NEW.number, NEW."invoiceId"
      USING ERRCODE = 'foreign_key_violation';
  END IF;
  RETURN NULL;
END $$;

CREATE CONSTRAINT TRIGGER "Dispute_invoiceSameAccount" AFTER INSERT OR UPDATE OF "invoiceId", "accountId" ON "Dispute"
  FOR EACH ROW EXECUTE FUNCTION "dispute_invoice_same_account"();

-- The other side: an invoice moved to another account may not take its disputes' account with it.
CREATE FUNCTION "invoice_disputes_same_account"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF EXISTS (SELECT 1 FROM "Dispute" d WHERE d."invoiceId" = NEW.id AND d."accountId" <> NEW."accountId") THEN
    RAISE EXCEPTION 'invoice % has disputes filed by account %', NEW.number, OLD."accountId"
      USING ERRCODE = 'foreign_key_violation';
  END IF;
  RETURN NULL;
END $$;

CREATE CONSTRAINT TRIGGER "Invoice_disputesSameAccount" AFTER UPDATE OF "accountId" ON "Invoice"
  FOR EACH ROW EXECUTE FUNCTION "invoice_disputes_same_account"();
