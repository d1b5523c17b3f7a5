-- AlterTable
ALTER TABLE "User" ADD COLUMN     "chatCapacityChosenAt" TIMESTAMP(3);

-- AlterTable
ALTER TABLE "Conversation" ADD COLUMN     "offlineOfferedAt" TIMESTAMP(3),
ADD COLUMN     "offlineReason" TEXT;

