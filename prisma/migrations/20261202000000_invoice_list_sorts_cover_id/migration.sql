-- Every sort of the invoice list is an index-only walk: the list pages by OFFSET, and the
-- issued-on and number orders break ties by id, which their indexes lacked, so a deep page
-- (page 200 of 10,000 invoices) sorted every row it skipped.
DROP INDEX "Invoice_accountId_issuedOn_idx";
CREATE INDEX "Invoice_accountId_issuedOn_id_idx" ON "Invoice"("accountId", "issuedOn", "id");
DROP INDEX "Invoice_accountId_number_idx";
CREATE INDEX "Invoice_accountId_number_id_idx" ON "Invoice"("accountId", "number", "id");
