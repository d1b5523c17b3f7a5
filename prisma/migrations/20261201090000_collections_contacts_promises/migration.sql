-- CreateEnum
CREATE TYPE "ContactChannel" AS ENUM ('PHONE', 'EMAIL', 'CHAT', 'LETTER', 'FAX');

-- CreateEnum
CREATE TYPE "ContactOutcome" AS ENUM ('PROMISE', 'DISPUTE', 'LEFT_MESSAGE', 'WRONG_CONTACT', 'REFUSED', 'PAID');

-- AlterTable
ALTER TABLE "PromiseToPay" ADD COLUMN     "byCustomer" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "requestKey" TEXT,
ADD COLUMN     "resolvedAt" TIMESTAMP(3);

-- CreateTable
CREATE TABLE "PromiseInvoice" (
    "promiseId" TEXT NOT NULL,
    "invoiceId" TEXT NOT NULL,

    CONSTRAINT "PromiseInvoice_pkey" PRIMARY KEY ("promiseId","invoiceId")
);

-- CreateTable
CREATE TABLE "CollectionContact" (
    "id" TEXT NOT NULL,
    "accountId" TEXT NOT NULL,
    "repId" TEXT,
    "channel" "ContactChannel" NOT NULL,
    "outcome" "ContactOutcome" NOT NULL,
    "followUpOn" DATE,
    "note" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "CollectionContact_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "PromiseInvoice_invoiceId_idx" ON "PromiseInvoice"("invoiceId");

-- CreateIndex
CREATE INDEX "CollectionContact_accountId_createdAt_idx" ON "CollectionContact"("accountId", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "PromiseToPay_requestKey_key" ON "PromiseToPay"("requestKey");

-- CreateIndex
CREATE INDEX "PromiseToPay_status_promisedFor_idx" ON "PromiseToPay"("status", "promisedFor");

-- AddForeignKey
ALTER TABLE "PromiseInvoice" ADD CONSTRAINT "PromiseInvoice_promiseId_fkey" FOREIGN KEY ("promiseId") REFERENCES "PromiseToPay"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PromiseInvoice" ADD CONSTRAINT "PromiseInvoice_invoiceId_fkey" FOREIGN KEY ("invoiceId") REFERENCES "Invoice"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CollectionContact" ADD CONSTRAINT "CollectionContact_accountId_fkey" FOREIGN KEY ("accountId") REFERENCES "Account"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

