-- One message per sent reply form: a reload after posting, a double click or two identical
-- posts at once stored the same reply twice. The form's key is the claim; the unique index
-- is what makes the second post find the first instead of writing its own. Older messages
-- have no key (a null never collides).
ALTER TABLE "DisputeMessage" ADD COLUMN "requestKey" TEXT;

CREATE UNIQUE INDEX "DisputeMessage_requestKey_key" ON "DisputeMessage"("requestKey");
