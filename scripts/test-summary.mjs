// Prints one "N passed, N failed" line over the vitest and Playwright JSON reports (what CI reads).
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

const dir = process.argv[2];
let passed = 0, failed = 0, skipped = 0, missing = [];
for (const name of ['unit', 'integration']) {
  const f = path.join(dir, `${name}.json`);
  if (!existsSync(f)) { missing.push(name); continue; }
  const r = JSON.parse(readFileSync(f, 'utf8'));
  passed += r.numPassedTests; failed += r.numFailedTests; skipped += r.numPendingTests + (r.numTodoTests ?? 0);
  // A file that failed to load counts as a failure even when it reports no tests.
  failed += r.testResults.filter((t) => t.status === 'failed' && t.assertionResults.length === 0).length;
}
const e2e = path.join(dir, 'e2e.json');
if (existsSync(e2e)) {
  const s = JSON.parse(readFileSync(e2e, 'utf8')).stats;
  passed += s.expected + s.flaky; failed += s.unexpected; skipped += s.skipped;
} else missing.push('e2e');
if (missing.length) { failed += missing.length; console.error(`no report from: ${missing.join(', ')}`); }
console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failed ? 1 : 0);
