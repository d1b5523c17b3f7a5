-- AlterEnum
ALTER TYPE "PaymentStatus" ADD VALUE 'EXPIRED';

-- Payment numbers people read (PMT-000123) come from a sequence, like account numbers: a number
-- once handed out is never handed out again. Existing payments are numbered as the column is added.
CREATE SEQUENCE IF NOT EXISTS "payment_number_seq" AS bigint MINVALUE 1 START WITH 1;

-- AlterTable
ALTER TABLE "Payment" ADD COLUMN     "number" TEXT NOT NULL DEFAULT ('PMT-'::text || lpad((nextval('payment_number_seq'::regclass))::text, 6, '0'::text));

-- CreateTable
CREATE TABLE "CheckoutClaim" (
    "invoiceId" TEXT NOT NULL,
    "paymentId" TEXT NOT NULL,
    "amountMinor" BIGINT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "CheckoutClaim_pkey" PRIMARY KEY ("invoiceId")
);

-- CreateIndex
CREATE INDEX "CheckoutClaim_paymentId_idx" ON "CheckoutClaim"("paymentId");

-- CreateIndex
CREATE UNIQUE INDEX "Payment_number_key" ON "Payment"("number");

-- AddForeignKey
ALTER TABLE "CheckoutClaim" ADD CONSTRAINT "CheckoutClaim_invoiceId_fkey" FOREIGN KEY ("invoiceId") REFERENCES "Invoice"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CheckoutClaim" ADD CONSTRAINT "CheckoutClaim_paymentId_fkey" FOREIGN KEY ("paymentId") REFERENCES "Payment"("id") ON DELETE CASCADE ON UPDATE CASCADE;

