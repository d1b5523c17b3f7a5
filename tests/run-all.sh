#!/usr/bin/env bash
# The whole test suite, as `npm test` runs it: lint (an error or a warning fails it), build once, then
#   1. unit + integration tests (vitest) on the embedded database (PGlite),
#   2. the same vitest suite on PostgreSQL at 127.0.0.1:5432 (skipped, with the
#      reason printed, only when no server answers there),
#   3. end-to-end tests in headless Chromium (Playwright) against the production build,
# and closes with one line: "Tests: N passed, N failed, N skipped".
set -euo pipefail
cd "$(dirname "$0")/.."

if [ ! -x "${CHROMIUM_PATH:-/usr/bin/chromium}" ]; then
  echo "Chromium not found at ${CHROMIUM_PATH:-/usr/bin/chromium}: install Debian's package first (sudo apt-get update && sudo apt-get install -y chromium)." >&2
  exit 1
fi

reports=$(mktemp -d)
trap 'rm -rf "$reports"' EXIT
summary() { node tests/support/print-summary.mjs "$reports"/*.json; }
trap 'summary; rm -rf "$reports"' EXIT

echo "== lint"
npm run --silent lint

echo "== typecheck and build"
npx react-router typegen
npx tsc
npm run --silent build >/dev/null

echo "== vitest on the embedded database (PGlite)"
npx vitest run --config tests/vitest.config.ts --reporter=default --reporter=json --outputFile.json="$reports/vitest-pglite.json"

echo "== vitest on PostgreSQL"
if node -e '
  const pg = require("pg");
  const c = new pg.Client({ connectionString: process.env.TEST_POSTGRES_URL || "postgres://postgres@127.0.0.1:5432/postgres", connectionTimeoutMillis: 3000 });
  c.connect().then(() => c.end()).then(() => process.exit(0), (e) => { console.error(e.message); process.exit(1); });
' 2>"$reports/pg-check.txt"; then
  TEST_DATABASE=postgres npx vitest run --config tests/vitest.config.ts --reporter=default --reporter=json --outputFile.json="$reports/vitest-postgres.json"
else
  echo "SKIPPED the PostgreSQL run: no PostgreSQL server reachable at 127.0.0.1:5432 ($(cat "$reports/pg-check.txt"))"
fi

echo "== end-to-end (Playwright, Chromium)"
PLAYWRIGHT_JSON_OUTPUT_NAME="$reports/playwright.json" npx playwright test --config tests/playwright.config.ts --reporter=list,json
