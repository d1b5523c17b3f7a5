-- An account's ledger version only has to differ once a transaction that changed its
-- ledger commits; it need not move once per row. A batch of payments changes two rows
-- per payment (the payment and its invoice), and each bump is an update of the account
-- row at commit. The first bump in a transaction leaves the account row written by that
-- transaction (its xmin); later bumps in the same transaction then have nothing to add.
CREATE OR REPLACE FUNCTION "account_ledger_version_child"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    UPDATE "Account" SET "ledgerVersion" = "ledgerVersion" + 1
     WHERE id = OLD."accountId" AND xmin <> pg_current_xact_id()::xid;
  END IF;
  IF TG_OP = 'INSERT' OR (TG_OP = 'UPDATE' AND NEW."accountId" IS DISTINCT FROM OLD."accountId") THEN
    UPDATE "Account" SET "ledgerVersion" = "ledgerVersion" + 1
     WHERE id = NEW."accountId" AND xmin <> pg_current_xact_id()::xid;
  END IF;
  RETURN NULL;
END $$;
