#!/usr/bin/env bash
# npm test — unit, integration (real Postgres, Redis, LXC) and the Playwright smoke test, then one summary line.
set -uo pipefail
cd "$(dirname "$0")/.."
[ -f .env ] || { echo "No .env: run \`npm run setup\` first."; exit 1; }
out=$(mktemp -d)
rc=0
npx vitest run --project unit --reporter=default --reporter=json --outputFile.json="$out/unit.json" || rc=1
npx vitest run --project integration --reporter=default --reporter=json --outputFile.json="$out/integration.json" || rc=1
PLAYWRIGHT_JSON_OUTPUT_NAME="$out/e2e.json" npx playwright test --reporter=list,json || rc=1
node scripts/test-summary.mjs "$out" || rc=1
rm -rf "$out"
exit $rc
