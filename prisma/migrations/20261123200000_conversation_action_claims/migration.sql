-- CreateTable
CREATE TABLE "ConversationActionClaim" (
    "conversationId" TEXT NOT NULL,
    "actionId" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ConversationActionClaim_pkey" PRIMARY KEY ("conversationId","actionId")
);

-- AddForeignKey
ALTER TABLE "ConversationActionClaim" ADD CONSTRAINT "ConversationActionClaim_conversationId_fkey" FOREIGN KEY ("conversationId") REFERENCES "Conversation"("id") ON DELETE CASCADE ON UPDATE CASCADE;

