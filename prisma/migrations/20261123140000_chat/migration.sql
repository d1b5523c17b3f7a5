-- AlterTable
ALTER TABLE "Conversation" ADD COLUMN     "guestTokenHash" TEXT;

-- CreateIndex
CREATE UNIQUE INDEX "Conversation_guestTokenHash_key" ON "Conversation"("guestTokenHash");

