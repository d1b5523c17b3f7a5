-- Account credit from credit memos (issue 14): a Payment row may stand for the part of a credit
-- memo above its invoice's open balance; at most one per memo.
-- AlterTable
ALTER TABLE "Payment" ADD COLUMN     "adjustmentId" TEXT;

-- CreateIndex
CREATE UNIQUE INDEX "Payment_adjustmentId_key" ON "Payment"("adjustmentId");

-- AddForeignKey
ALTER TABLE "Payment" ADD CONSTRAINT "Payment_adjustmentId_fkey" FOREIGN KEY ("adjustmentId") REFERENCES "Adjustment"("id") ON DELETE SET NULL ON UPDATE CASCADE;

