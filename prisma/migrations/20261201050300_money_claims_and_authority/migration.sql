-- AlterTable
ALTER TABLE "AuthorityLimit" ADD COLUMN     "maxAccountCreditPerPeriodMinor" BIGINT NOT NULL DEFAULT 0,
ADD COLUMN     "maxInvoiceCreditMinor" BIGINT NOT NULL DEFAULT 0,
ADD COLUMN     "maxLimitCutPercent" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "maxRefundMinor" BIGINT NOT NULL DEFAULT 0,
ADD COLUMN     "mayCutBelowExposure" BOOLEAN NOT NULL DEFAULT false;

-- CreateTable
CREATE TABLE "PaymentRefund" (
    "id" TEXT NOT NULL,
    "paymentId" TEXT NOT NULL,
    "requestKey" TEXT NOT NULL,
    "stateKey" TEXT NOT NULL,
    "amountMinor" BIGINT NOT NULL,
    "currency" CHAR(3) NOT NULL,
    "note" TEXT NOT NULL,
    "requestedById" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "PaymentRefund_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "PaymentRefund_requestKey_key" ON "PaymentRefund"("requestKey");

-- CreateIndex
CREATE UNIQUE INDEX "PaymentRefund_stateKey_key" ON "PaymentRefund"("stateKey");

-- CreateIndex
CREATE INDEX "PaymentRefund_paymentId_idx" ON "PaymentRefund"("paymentId");

-- CreateIndex
CREATE UNIQUE INDEX "Adjustment_disputeId_kind_key" ON "Adjustment"("disputeId", "kind");

-- AddForeignKey
ALTER TABLE "PaymentRefund" ADD CONSTRAINT "PaymentRefund_paymentId_fkey" FOREIGN KEY ("paymentId") REFERENCES "Payment"("id") ON DELETE RESTRICT ON UPDATE CASCADE;


-- The seeded levels' new limits, so an existing database does not fall to zero (nobody may refund).
UPDATE "AuthorityLimit" SET "maxRefundMinor" = 100000, "maxInvoiceCreditMinor" = 100000, "maxAccountCreditPerPeriodMinor" = 250000, "maxLimitCutPercent" = 25 WHERE "level" = 'REP_I';
UPDATE "AuthorityLimit" SET "maxRefundMinor" = 500000, "maxInvoiceCreditMinor" = 500000, "maxAccountCreditPerPeriodMinor" = 1000000, "maxLimitCutPercent" = 50 WHERE "level" = 'REP_II';
UPDATE "AuthorityLimit" SET "maxRefundMinor" = 2000000, "maxInvoiceCreditMinor" = 2000000, "maxAccountCreditPerPeriodMinor" = 4000000, "maxLimitCutPercent" = 100 WHERE "level" = 'REP_III';
UPDATE "AuthorityLimit" SET "maxRefundMinor" = 10000000, "maxInvoiceCreditMinor" = 7500000, "maxAccountCreditPerPeriodMinor" = 15000000, "maxLimitCutPercent" = 100, "mayCutBelowExposure" = true WHERE "level" = 'SENIOR';
UPDATE "AuthorityLimit" SET "maxRefundMinor" = 50000000, "maxInvoiceCreditMinor" = 25000000, "maxAccountCreditPerPeriodMinor" = 50000000, "maxLimitCutPercent" = 100, "mayCutBelowExposure" = true WHERE "level" = 'MANAGER';
INSERT INTO "PolicySetting" ("key", "value", "updatedAt") VALUES ('authority.creditPeriodDays', '30', CURRENT_TIMESTAMP) ON CONFLICT ("key") DO NOTHING;
