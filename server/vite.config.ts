import path from "node:path";
import { fileURLToPath } from "node:url";
import { reactRouter } from "@react-router/dev/vite";
import { defineConfig } from "vite";

// Kept in server/ because the product card fixes the repository's top level.
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

export default defineConfig({
  root,
  plugins: [reactRouter()],
  resolve: { alias: { "~": path.join(root, "app") } },
  server: { fs: { allow: [root] } },
  build: { target: "es2022" },
  ssr: {
    // Native/WASM database drivers stay outside the server bundle.
    external: ["@electric-sql/pglite", "pglite-prisma-adapter", "pg", "@node-rs/argon2"],
  },
});
