-- Account numbers come from a sequence, so a number once handed out is never handed out
-- again, even when its account is deleted (a count of accounts would repeat it). Prisma's
-- schema language has no word for a free-standing sequence: it lives only in migrations.
CREATE SEQUENCE IF NOT EXISTS "account_number_seq" AS bigint MINVALUE 1001 START WITH 1001;

-- Continue after the numbers already in use.
SELECT setval('"account_number_seq"', n, n > 1000)
FROM (SELECT GREATEST(1001, COALESCE(MAX(CAST(SUBSTRING(number FROM 5) AS bigint)), 1000)) AS n
      FROM "Account" WHERE number ~ '^ACC-[0-9]{1,15}$') AS used;
