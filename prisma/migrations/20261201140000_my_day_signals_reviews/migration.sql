-- CreateTable
CREATE TABLE "AccountChangeReport" (
    "id" TEXT NOT NULL,
    "accountId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "details" TEXT NOT NULL,
    "effectiveOn" DATE,
    "reportedById" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "AccountChangeReport_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "WatchSignalReview" (
    "id" TEXT NOT NULL,
    "accountId" TEXT NOT NULL,
    "signalKey" TEXT NOT NULL,
    "reviewedById" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "WatchSignalReview_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CreditReviewSchedule" (
    "accountId" TEXT NOT NULL,
    "riskClass" TEXT NOT NULL DEFAULT 'medium',
    "nextReviewOn" DATE NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "CreditReviewSchedule_pkey" PRIMARY KEY ("accountId")
);

-- CreateTable
CREATE TABLE "CreditReview" (
    "id" TEXT NOT NULL,
    "accountId" TEXT NOT NULL,
    "dueOn" DATE NOT NULL,
    "riskClass" TEXT NOT NULL,
    "score" INTEGER NOT NULL,
    "recommendation" TEXT NOT NULL,
    "decision" TEXT NOT NULL,
    "limitBeforeMinor" BIGINT NOT NULL,
    "limitAfterMinor" BIGINT NOT NULL,
    "currency" CHAR(3) NOT NULL,
    "outcome" TEXT NOT NULL,
    "applicationId" TEXT,
    "decidedById" TEXT NOT NULL,
    "note" TEXT,
    "nextReviewOn" DATE NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "CreditReview_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "AccountChangeReport_accountId_createdAt_idx" ON "AccountChangeReport"("accountId", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "WatchSignalReview_accountId_signalKey_key" ON "WatchSignalReview"("accountId", "signalKey");

-- CreateIndex
CREATE INDEX "CreditReview_accountId_createdAt_idx" ON "CreditReview"("accountId", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "CreditReview_accountId_dueOn_key" ON "CreditReview"("accountId", "dueOn");

