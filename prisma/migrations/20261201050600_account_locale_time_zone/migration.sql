-- AlterTable
ALTER TABLE "Account" ADD COLUMN     "locale" TEXT NOT NULL DEFAULT 'en-US',
ADD COLUMN     "timeZone" TEXT NOT NULL DEFAULT 'America/Chicago';

-- AlterTable
ALTER TABLE "User" ADD COLUMN     "locale" TEXT,
ADD COLUMN     "timeZone" TEXT;


-- Existing accounts: the locale and time zone of where they are, as far as country and
-- language tell (a Spanish-speaking account in Spain formats as Spain does).
UPDATE "Account" SET "locale" = CASE
    WHEN "preferredLanguage" = 'es' AND "country" = 'ES' THEN 'es-ES'
    WHEN "preferredLanguage" = 'es' THEN 'es-MX'
    ELSE 'en-US' END,
  "timeZone" = CASE "country"
    WHEN 'ES' THEN 'Europe/Madrid'
    WHEN 'MX' THEN 'America/Mexico_City'
    ELSE 'America/Chicago' END;
