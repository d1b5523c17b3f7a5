-- AlterTable
ALTER TABLE "Account" ADD COLUMN     "ledgerVersion" BIGINT NOT NULL DEFAULT 0;

-- The ledger version moves with every change an account's ledger pages show, whoever
-- writes it. Rendered pages are cached by (user, account ledger version), so a stale
-- version would serve stale money: triggers, not application code, keep it.

-- Any update of the account row itself (limit, terms, name, status) is a new version.
CREATE FUNCTION "account_ledger_version_self"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW."ledgerVersion" := OLD."ledgerVersion" + 1;
  RETURN NEW;
END $$;

CREATE TRIGGER "Account_ledgerVersion"
  BEFORE UPDATE ON "Account"
  FOR EACH ROW EXECUTE FUNCTION "account_ledger_version_self"();

-- A change to a row that belongs to an account moves that account (both accounts if
-- a row ever moves between them). Deferred to commit: bumping the account row at once
-- would take its lock in the middle of a transaction, and two payments touching the
-- same invoices in different orders could then deadlock on it.
CREATE FUNCTION "account_ledger_version_child"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    UPDATE "Account" SET "ledgerVersion" = "ledgerVersion" + 1 WHERE id = OLD."accountId";
  END IF;
  IF TG_OP = 'INSERT' OR (TG_OP = 'UPDATE' AND NEW."accountId" IS DISTINCT FROM OLD."accountId") THEN
    UPDATE "Account" SET "ledgerVersion" = "ledgerVersion" + 1 WHERE id = NEW."accountId";
  END IF;
  RETURN NULL;
END $$;

CREATE CONSTRAINT TRIGGER "Invoice_ledgerVersion" AFTER INSERT OR UPDATE OR DELETE ON "Invoice"
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION "account_ledger_version_child"();
CREATE CONSTRAINT TRIGGER "Order_ledgerVersion" AFTER INSERT OR UPDATE OR DELETE ON "Order"
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION "account_ledger_version_child"();
CREATE CONSTRAINT TRIGGER "Payment_ledgerVersion" AFTER INSERT OR UPDATE OR DELETE ON "Payment"
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION "account_ledger_version_child"();
CREATE CONSTRAINT TRIGGER "Dispute_ledgerVersion" AFTER INSERT OR UPDATE OR DELETE ON "Dispute"
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION "account_ledger_version_child"();
CREATE CONSTRAINT TRIGGER "Adjustment_ledgerVersion" AFTER INSERT OR UPDATE OR DELETE ON "Adjustment"
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION "account_ledger_version_child"();

-- Amounts in other currencies are shown converted at the latest rate: a new or
-- corrected rate moves every account (rates change about once a day).
CREATE FUNCTION "account_ledger_version_all"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE "Account" SET "ledgerVersion" = "ledgerVersion" + 1;
  RETURN NULL;
END $$;

CREATE TRIGGER "FxRate_ledgerVersion" AFTER INSERT OR UPDATE OR DELETE ON "FxRate"
  FOR EACH STATEMENT EXECUTE FUNCTION "account_ledger_version_all"();
