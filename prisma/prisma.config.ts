// Prisma CLI config. The CLI's native schema engine cannot be downloaded on offline
// machines, so the CLI runs its WASM engine against an in-memory PGlite; it is only
// used to generate the client and to diff schemas into migration SQL. Migrations are
// applied by prisma/migrate.ts (see README, "Database").
import { defineConfig } from "prisma/config";
import { PGlite } from "@electric-sql/pglite";
import { PrismaPGlite } from "pglite-prisma-adapter";

export default defineConfig({
  experimental: { adapter: true },
  engine: "js",
  schema: "./schema.prisma",
  adapter: async () => new PrismaPGlite(new PGlite()) as never,
});
