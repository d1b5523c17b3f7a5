-- CreateIndex
CREATE INDEX "Invoice_accountId_dueOn_id_idx" ON "Invoice"("accountId", "dueOn", "id");

-- CreateIndex
CREATE INDEX "Invoice_accountId_balanceMinor_id_idx" ON "Invoice"("accountId", "balanceMinor", "id");

-- CreateIndex
CREATE INDEX "Invoice_accountId_number_idx" ON "Invoice"("accountId", "number");

