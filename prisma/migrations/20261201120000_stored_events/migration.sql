-- AlterTable
ALTER TABLE "AccountNote" ADD COLUMN     "event" JSONB;

-- AlterTable
ALTER TABLE "Message" ADD COLUMN     "event" JSONB;

