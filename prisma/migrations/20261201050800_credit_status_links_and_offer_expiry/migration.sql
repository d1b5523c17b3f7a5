-- AlterTable
ALTER TABLE "CreditApplication" ADD COLUMN     "offerExpiresAt" TIMESTAMP(3);

-- CreateTable
CREATE TABLE "CreditApplicationStatusLink" (
    "id" TEXT NOT NULL,
    "applicationId" TEXT NOT NULL,
    "tokenHash" TEXT NOT NULL,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "CreditApplicationStatusLink_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "CreditApplicationStatusLink_tokenHash_key" ON "CreditApplicationStatusLink"("tokenHash");

-- CreateIndex
CREATE INDEX "CreditApplicationStatusLink_applicationId_idx" ON "CreditApplicationStatusLink"("applicationId");

-- AddForeignKey
ALTER TABLE "CreditApplicationStatusLink" ADD CONSTRAINT "CreditApplicationStatusLink_applicationId_fkey" FOREIGN KEY ("applicationId") REFERENCES "CreditApplication"("id") ON DELETE CASCADE ON UPDATE CASCADE;


-- Policy as data: how long a status link and a counter-offer stay usable (days).
INSERT INTO "PolicySetting" ("key", "value", "updatedAt") VALUES
  ('credit.statusLinkDays', '90', CURRENT_TIMESTAMP),
  ('credit.counterOfferValidDays', '14', CURRENT_TIMESTAMP)
ON CONFLICT ("key") DO NOTHING;
