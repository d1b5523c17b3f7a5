-- One final demand letter per account per day: two reps (or one double click) generating
-- it at the same moment made two letters and two audit lines. The day is the claim; the
-- unique index is what makes the second one find the first instead of writing its own.
ALTER TABLE "FinalDemandLetter" ADD COLUMN "issuedOn" DATE;

-- Letters written before this rule: the first of each account's day takes the day; any
-- later one that day keeps no day (a null never collides), so the index can be built.
UPDATE "FinalDemandLetter" l SET "issuedOn" = l."createdAt"::date
 WHERE l.id = (SELECT f.id FROM "FinalDemandLetter" f
                WHERE f."accountId" = l."accountId" AND f."createdAt"::date = l."createdAt"::date
                ORDER BY f."createdAt", f.id LIMIT 1);

CREATE UNIQUE INDEX "FinalDemandLetter_accountId_issuedOn_key" ON "FinalDemandLetter"("accountId", "issuedOn");
