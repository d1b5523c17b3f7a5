-- CreateEnum
CREATE TYPE "InvoiceDeliveryPath" AS ENUM ('PORTAL', 'EMAIL', 'EDI');

-- CreateEnum
CREATE TYPE "DeliveryDocumentKind" AS ENUM ('INVOICE', 'CREDIT_MEMO');

-- CreateEnum
CREATE TYPE "InvoiceDeliveryStatus" AS ENUM ('QUEUED', 'SENT', 'ACCEPTED', 'RETRYING', 'FAILED');

-- CreateEnum
CREATE TYPE "EdiAckStatus" AS ENUM ('PENDING', 'ACCEPTED', 'REJECTED');

-- CreateTable
CREATE TABLE "InvoiceDeliverySetting" (
    "accountId" TEXT NOT NULL,
    "path" "InvoiceDeliveryPath" NOT NULL DEFAULT 'PORTAL',
    "billingEmails" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "ediQualifier" TEXT,
    "ediInterchangeId" TEXT,
    "ediGroupId" TEXT,
    "ediTarget" TEXT NOT NULL DEFAULT 'folder',
    "effectiveFrom" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedById" TEXT,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "InvoiceDeliverySetting_pkey" PRIMARY KEY ("accountId")
);

-- CreateTable
CREATE TABLE "InvoiceDelivery" (
    "id" TEXT NOT NULL,
    "accountId" TEXT NOT NULL,
    "documentKind" "DeliveryDocumentKind" NOT NULL,
    "documentId" TEXT NOT NULL,
    "documentNumber" TEXT NOT NULL,
    "path" "InvoiceDeliveryPath" NOT NULL,
    "status" "InvoiceDeliveryStatus" NOT NULL DEFAULT 'QUEUED',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "lastErrorCode" TEXT,
    "lastError" TEXT,
    "nextAttemptAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "claimToken" TEXT,
    "claimedUntil" TIMESTAMP(3),
    "sentAt" TIMESTAMP(3),
    "acceptedAt" TIMESTAMP(3),
    "emailId" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "InvoiceDelivery_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "EdiInterchange" (
    "controlNumber" SERIAL NOT NULL,
    "deliveryId" TEXT NOT NULL,
    "accountId" TEXT NOT NULL,
    "fileName" TEXT NOT NULL,
    "content" TEXT NOT NULL,
    "ackStatus" "EdiAckStatus" NOT NULL DEFAULT 'PENDING',
    "ackNote" TEXT,
    "ackedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "EdiInterchange_pkey" PRIMARY KEY ("controlNumber")
);

-- CreateTable
CREATE TABLE "OutboxAttachment" (
    "id" TEXT NOT NULL,
    "emailId" TEXT NOT NULL,
    "fileName" TEXT NOT NULL,
    "contentType" TEXT NOT NULL,
    "sizeBytes" INTEGER NOT NULL,
    "contentBase64" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "OutboxAttachment_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "InvoiceDelivery_status_nextAttemptAt_idx" ON "InvoiceDelivery"("status", "nextAttemptAt");

-- CreateIndex
CREATE INDEX "InvoiceDelivery_accountId_createdAt_idx" ON "InvoiceDelivery"("accountId", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "InvoiceDelivery_documentKind_documentId_path_key" ON "InvoiceDelivery"("documentKind", "documentId", "path");

-- CreateIndex
CREATE INDEX "EdiInterchange_deliveryId_idx" ON "EdiInterchange"("deliveryId");

-- CreateIndex
CREATE INDEX "OutboxAttachment_emailId_idx" ON "OutboxAttachment"("emailId");

