import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { expect, it } from 'vitest';

type TRow = { attack: string; expected: string; observed: string; result: string };

const clip = (s: string, n: number) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

/** Plain-text table, one row per verdict (long cells clipped so it stays readable in a terminal). */
const render = (title: string, rows: TRow[]) => {
  const cols = ['attack', 'expected', 'observed', 'result'] as const;
  const max = { attack: 58, expected: 44, observed: 96, result: 9 };
  const cells = rows.map((r) => cols.map((c) => clip(r[c].replace(/\s+/g, ' '), max[c])));
  const width = cols.map((c, i) => Math.max(c.length, ...cells.map((r) => r[i]?.length ?? 0)));
  const line = (r: readonly string[]) => `| ${r.map((v, i) => v.padEnd(width[i] ?? 0)).join(' | ')} |`;
  const sep = `|${width.map((w) => '-'.repeat(w + 2)).join('|')}|`;
  return [`\n${title}`, line(cols), sep, ...cells.map(line)].join('\n');
};

/**
 * The attack table of one test file: every verdict is recorded before it is asserted, so the table
 * printed in afterAll shows failing attacks (holes) next to the ones that were stopped.
 */
export const createReport = (title: string) => {
  const rows: TRow[] = [];
  return {
    /** Record one verdict, then assert it; `label` names a documented, accepted behaviour (e.g. KNOWN GAP). */
    check(attack: string, expected: string, observed: string, ok: boolean, label = 'ok') {
      rows.push({ attack, expected, observed, result: ok ? label : 'HOLE' });
      expect(ok, `${attack}: expected ${expected}; observed ${observed}`).toBe(true);
    },

    /** Several verdicts of one attack: all are recorded first, so a hole in the first hides none of the others. */
    checkAll(list: [attack: string, expected: string, observed: string, ok: boolean][]) {
      for (const [attack, expected, observed, ok] of list) rows.push({ attack, expected, observed, result: ok ? 'ok' : 'HOLE' });
      for (const [attack, expected, observed, ok] of list) expect(ok, `${attack}: expected ${expected}; observed ${observed}`).toBe(true);
    },

    /** An `it` whose unexpected error (ssh down, timeout...) still leaves a row in the table. */
    it(name: string, fn: () => Promise<void>, timeoutMs?: number) {
      it(name, async () => {
        const before = rows.length;
        try {
          await fn();
        } catch (e) {
          if (rows.length === before) rows.push({ attack: name, expected: '-', observed: String((e as Error).message ?? e), result: 'ERROR' });
          throw e;
        }
      }, timeoutMs);
    },

    /** Print the table; under `npm run attack` (ATTACK_REPORT_DIR set) also save its rows, unclipped, for docs/attacks.md. */
    print: () => {
      console.log(render(title, rows));
      const dir = process.env.ATTACK_REPORT_DIR;
      if (!dir) return;
      mkdirSync(dir, { recursive: true });
      writeFileSync(path.join(dir, `${title.replace(/[^a-z0-9]+/gi, '-').toLowerCase()}.json`), JSON.stringify({ title, rows }, null, 1));
    },
  };
};
