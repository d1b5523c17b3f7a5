-- CreateEnum
CREATE TYPE "DunningOutcome" AS ENUM ('SENT', 'NO_CONTACT');

-- CreateEnum
CREATE TYPE "WriteOffStatus" AS ENUM ('PENDING', 'APPROVED', 'REJECTED');

-- CreateTable
CREATE TABLE "DunningNotice" (
    "id" TEXT NOT NULL,
    "invoiceId" TEXT NOT NULL,
    "accountId" TEXT NOT NULL,
    "step" TEXT NOT NULL,
    "outcome" "DunningOutcome" NOT NULL,
    "amountMinor" BIGINT NOT NULL,
    "currency" CHAR(3) NOT NULL,
    "emailId" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "DunningNotice_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "FinalDemandLetter" (
    "id" TEXT NOT NULL,
    "accountId" TEXT NOT NULL,
    "language" TEXT NOT NULL,
    "pastDueMinor" BIGINT NOT NULL,
    "currency" CHAR(3) NOT NULL,
    "storageKey" TEXT NOT NULL,
    "createdById" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "FinalDemandLetter_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AgencyReferral" (
    "id" TEXT NOT NULL,
    "accountId" TEXT NOT NULL,
    "agencyName" TEXT NOT NULL,
    "reason" TEXT NOT NULL,
    "decidedById" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "AgencyReferral_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "WriteOffRequest" (
    "id" TEXT NOT NULL,
    "accountId" TEXT NOT NULL,
    "invoiceId" TEXT NOT NULL,
    "amountMinor" BIGINT NOT NULL,
    "currency" CHAR(3) NOT NULL,
    "reason" TEXT NOT NULL,
    "status" "WriteOffStatus" NOT NULL DEFAULT 'PENDING',
    "requiredLevel" "StaffLevel",
    "requestedById" TEXT NOT NULL,
    "decidedById" TEXT,
    "decidedAt" TIMESTAMP(3),
    "decisionNote" TEXT,
    "adjustmentId" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "WriteOffRequest_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "DunningNotice_invoiceId_step_key" ON "DunningNotice"("invoiceId", "step");

-- CreateIndex
CREATE INDEX "DunningNotice_accountId_createdAt_idx" ON "DunningNotice"("accountId", "createdAt");

-- CreateIndex
CREATE INDEX "DunningNotice_outcome_createdAt_idx" ON "DunningNotice"("outcome", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "FinalDemandLetter_storageKey_key" ON "FinalDemandLetter"("storageKey");

-- CreateIndex
CREATE INDEX "FinalDemandLetter_accountId_createdAt_idx" ON "FinalDemandLetter"("accountId", "createdAt");

-- CreateIndex
CREATE INDEX "AgencyReferral_accountId_createdAt_idx" ON "AgencyReferral"("accountId", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "WriteOffRequest_adjustmentId_key" ON "WriteOffRequest"("adjustmentId");

-- CreateIndex
CREATE INDEX "WriteOffRequest_status_createdAt_idx" ON "WriteOffRequest"("status", "createdAt");

-- CreateIndex
CREATE INDEX "WriteOffRequest_accountId_createdAt_idx" ON "WriteOffRequest"("accountId", "createdAt");

-- CreateIndex
CREATE INDEX "WriteOffRequest_invoiceId_idx" ON "WriteOffRequest"("invoiceId");

-- Policy as data: the dunning schedule (days relative to the due date), which business
-- calendar each country follows, the automatic credit-hold threshold and the final-demand rule.
INSERT INTO "PolicySetting" ("key", "value", "updatedAt") VALUES
  ('dunning.schedule', '[{"step":"courtesy","offsetDays":-3},{"step":"due","offsetDays":0},{"step":"past_due_7","offsetDays":7},{"step":"past_due_15","offsetDays":15},{"step":"past_due_30","offsetDays":30}]', CURRENT_TIMESTAMP),
  ('dunning.calendarByCountry', '{"US":"hours.en","CA":"hours.en","MX":"hours.es","ES":"hours.es"}', CURRENT_TIMESTAMP),
  ('collections.creditHoldPastDueMinor', '{"amountMinor":500000,"currency":"USD"}', CURRENT_TIMESTAMP),
  ('collections.finalDemand', '{"minDaysPastDue":60,"minAmountMinor":100000,"currency":"USD"}', CURRENT_TIMESTAMP)
ON CONFLICT ("key") DO NOTHING;
