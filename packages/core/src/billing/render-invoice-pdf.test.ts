import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderInvoicePdf, type TInvoicePdf } from './render-invoice-pdf.ts';

const base: TInvoicePdf = {
  number: 'INV-000042',
  status: 'issued',
  issuedAt: '2024-05-31T23:30:00-02:00', // 2024-06-01 in UTC
  dueAt: '2024-06-15T00:00:00Z',
  periodStart: '2024-05-01T00:00:00.000Z',
  periodEnd: '2024-06-01T00:00:00.000Z',
  currency: 'USD',
  seller: { name: 'Berth Hosting Ltd', lines: ['1 Harbour Road', 'Portsmouth PO1 1AA'] },
  customer: { name: 'Acme Widgets', id: 'cus_7' },
  lines: [
    { description: 'Server web-1 (s-2vcpu)', quantity: '744 h', unitCents: 1, amountCents: 744 },
    { description: 'Backups', quantity: '1', unitCents: 99_256, amountCents: 99_256 },
  ],
  totalCents: 100_000,
  paidCents: 2_500,
};

const render = (over: Partial<TInvoicePdf> = {}): string => Buffer.from(renderInvoicePdf({ ...base, ...over })).toString('latin1');
const items = (n: number) => Array.from({ length: n }, (_, i) => ({ description: `Item ${i + 1}`, quantity: '1', unitCents: 100, amountCents: 100 }));

/** Offsets from the xref table, by object number, after checking its shape. */
const xref = (pdf: string): number[] => {
  const start = Number(/startxref\n(\d+)\n%%EOF\n?$/.exec(pdf)?.[1]);
  expect(pdf.startsWith('xref\n', start)).toBe(true);
  const m = /^xref\n0 (\d+)\n((?:\d{10} \d{5} [fn] \n)+)trailer\n/.exec(pdf.slice(start));
  expect(m).not.toBeNull();
  const entries = (m?.[2] ?? '').match(/.{20}/gs) ?? [];
  expect(entries).toHaveLength(Number(m?.[1]));
  expect(entries[0]).toBe('0000000000 65535 f \n');
  return entries.slice(1).map((e) => Number(e.slice(0, 10)));
};

const object = (pdf: string, n: number): string => {
  const at = xref(pdf)[n - 1] ?? -1;
  return pdf.slice(at, pdf.indexOf('\nendobj\n', at));
};

/** Each page's content stream, in the order of the pages tree. */
const pageStreams = (pdf: string): string[] => {
  const kids = /\/Kids \[([^\]]*)\]/.exec(object(pdf, 2))?.[1] ?? '';
  return [...kids.matchAll(/(\d+) 0 R/g)].map(([, page]) => {
    const contents = Number(/\/Contents (\d+) 0 R/.exec(object(pdf, Number(page)))?.[1]);
    return /\nstream\n([\s\S]*)\nendstream$/.exec(object(pdf, contents))?.[1] ?? '';
  });
};

/** Decoded Tj strings of each page. */
const pageTexts = (pdf: string): string[][] =>
  pageStreams(pdf).map((s) => [...s.matchAll(/\(((?:\\.|[^\\)])*)\) Tj/g)].map(([, t]) => (t ?? '').replace(/\\(.)/g, '$1')));
const allTexts = (pdf: string) => pageTexts(pdf).flat();

describe('renderInvoicePdf: file structure', () => {
  it('is a PDF 1.4 file from header to %%EOF', () => {
    const pdf = render();
    expect(pdf.startsWith('%PDF-1.4\n')).toBe(true);
    expect(pdf).toMatch(/%%EOF\n?$/);
    expect(renderInvoicePdf(base)).toBeInstanceOf(Uint8Array);
  });

  it('has xref offsets pointing exactly at each object, and startxref at the xref table', () => {
    for (const pdf of [render(), render({ lines: items(150), seller: { name: 'Zürich € GmbH', lines: ['Straße'] } })]) {
      const offsets = xref(pdf);
      offsets.forEach((at, i) => expect(pdf.slice(at).startsWith(`${i + 1} 0 obj\n`), `object ${i + 1}`).toBe(true));
      const objs = pdf.match(/^\d+ 0 obj$/gm) ?? [];
      expect(Number(/\/Size (\d+)/.exec(pdf)?.[1])).toBe(objs.length + 1);
      expect(offsets).toHaveLength(objs.length);
    }
  });

  it('keeps byte offsets exact when text has non-ASCII bytes', () => {
    const bytes = renderInvoicePdf({ ...base, customer: { name: 'Müller & Söhne € “quoted”', id: 'x' } });
    const pdf = Buffer.from(bytes).toString('latin1');
    expect(bytes.length).toBe(pdf.length);
    xref(pdf).forEach((at, i) => expect(Buffer.from(bytes.subarray(at)).toString('latin1').startsWith(`${i + 1} 0 obj`)).toBe(true));
  });

  it('gives the pages tree a /Count equal to its page objects and every stream an exact /Length', () => {
    for (const pdf of [render(), render({ lines: items(200) })]) {
      const pageObjects = pdf.match(/\/Type \/Page(?!s)/g) ?? [];
      expect(Number(/\/Count (\d+)/.exec(object(pdf, 2))?.[1])).toBe(pageObjects.length);
      expect(pageStreams(pdf)).toHaveLength(pageObjects.length);
      for (const m of pdf.matchAll(/<< \/Length (\d+) >>\nstream\n/g)) {
        const from = (m.index ?? 0) + m[0].length;
        expect(pdf.slice(from + Number(m[1]), from + Number(m[1]) + 10)).toBe('\nendstream');
      }
    }
  });

  it('is deterministic', () => {
    expect(render()).toBe(render());
  });
});

describe('renderInvoicePdf: content', () => {
  it('shows the invoice, parties, dates in UTC, period with its exclusive end, and totals', () => {
    const t = allTexts(render());
    for (const s of ['Invoice INV-000042', 'Status: ISSUED', 'Berth Hosting Ltd', '1 Harbour Road', 'Bill to', 'Acme Widgets', 'Customer ID: cus_7']) {
      expect(t).toContain(s);
    }
    expect(t).toContain('2024-06-01'); // issued 23:30 at UTC-2
    expect(t).toContain('2024-06-15');
    expect(t).toContain('2024-05-01 to 2024-05-31');
    for (const s of ['Description', 'Quantity', 'Unit price', 'Amount', 'Total', 'Paid', 'Amount due']) expect(t).toContain(s);
    expect(t).toEqual(expect.arrayContaining(['USD 0.01', 'USD 7.44', 'USD 992.56', 'USD 1000.00', 'USD 25.00', 'USD 975.00']));
    expect(t).toContain('Page 1 of 1');
  });

  it('escapes backslashes and parentheses in PDF strings', () => {
    const pdf = render({ lines: [{ description: 'Disk (SSD) \\ backup', quantity: '1', unitCents: 1, amountCents: 1 }] });
    expect(pdf).toContain('(Disk \\(SSD\\) \\\\ backup) Tj');
    expect(allTexts(pdf)).toContain('Disk (SSD) \\ backup');
  });

  it("maps text to WinAnsi: latin1 and € kept, anything else '?', control characters stripped", () => {
    const pdf = render({ customer: { name: 'Zürich 東京 😀 €', id: 'a\u0007b\u009b\nc' } });
    expect(pdf).toContain('(Z\xfcrich ?? ? \x80) Tj'); // one '?' per code point, even outside the BMP
    expect(allTexts(pdf)).toContain('Customer ID: ab c');
  });

  it('truncates descriptions by width with "..." and leaves short ones alone', () => {
    const t = allTexts(
      render({
        lines: ['W'.repeat(200), 'i'.repeat(200), 'Short'].map((description) => ({ description, quantity: '1', unitCents: 1, amountCents: 1 })),
      }),
    );
    // Column is 245pt at 10pt: W is 944/1000 em, i is 222/1000, '...' is 3 x 278.
    expect(t).toContain(`${'W'.repeat(25)}...`);
    expect(t).toContain(`${'i'.repeat(106)}...`);
    expect(t).toContain('Short');
  });

  it('right-aligns amounts on the column edge', () => {
    const pdf = render({ lines: [{ description: 'x', quantity: '1', unitCents: 100, amountCents: 123_456 }] });
    const w: Record<string, number> = { U: 722, S: 667, D: 722, ' ': 278, '.': 278 };
    for (const s of ['USD 1234.56', 'USD 1000.00']) {
      const x = Number(new RegExp(`(\\S+) \\S+ Td \\(${s}\\) Tj`).exec(pdf)?.[1]);
      const width = [...s].reduce((sum, c) => sum + (w[c] ?? 556), 0) / 100;
      expect(x + width).toBeCloseTo(545, 1);
    }
  });

  it('rejects amounts that are not integer minor units and dates that do not parse', () => {
    expect(() => render({ totalCents: 12.5 })).toThrow(RangeError);
    expect(() => render({ paidCents: Number.NaN })).toThrow(RangeError);
    expect(() => render({ dueAt: 'soon' })).toThrow(RangeError);
  });
});

describe('renderInvoicePdf: money formatting', () => {
  const cases: [string, number, string][] = [
    ['USD', 1234, 'USD 12.34'],
    ['usd', 5, 'USD 0.05'],
    ['USD', -1234, '-USD 12.34'],
    ['JPY', 1234, 'JPY 1234'],
    ['JPY', -7, '-JPY 7'],
    ['KWD', 12_345, 'KWD 12.345'],
    ['KWD', -5, '-KWD 0.005'],
    ['EUR', 0, 'EUR 0.00'],
    ['EUR', Number.MAX_SAFE_INTEGER, 'EUR 90071992547409.91'],
  ];
  it.each(cases)('%s %i -> %s', (currency, cents, expected) => {
    const t = allTexts(render({ currency, lines: [{ description: 'x', quantity: '1', unitCents: cents, amountCents: cents }], totalCents: cents, paidCents: 0 }));
    expect(t.filter((s) => s === expected)).toHaveLength(cents === 0 ? 5 : 4); // unit, amount, total, amount due (+ paid when 0)
  });

  it('shows a negative amount due when overpaid', () => {
    expect(allTexts(render({ totalCents: 10_000, paidCents: 12_000 }))).toContain('-USD 20.00');
  });
});

/** Every text origin inside the margins; only the page foot goes below y = 50. */
const expectInsideMargins = (pdf: string) => {
  for (const stream of pageStreams(pdf)) {
    for (const [, x, y, text] of stream.matchAll(/(\S+) (\S+) Td \(((?:\\.|[^\\)])*)\) Tj/g)) {
      expect(Number(x)).toBeGreaterThanOrEqual(50);
      expect(Number(x)).toBeLessThan(545);
      expect(Number(y), text).toBeGreaterThanOrEqual(text?.startsWith('Page ') ? 20 : 50);
      expect(Number(y)).toBeLessThan(842 - 36);
    }
  }
};

describe('renderInvoicePdf: pagination', () => {
  it('spreads 200 lines over several pages, header repeated, each line once, "Page i of n" on each', () => {
    const lines = items(200);
    const pages = pageTexts(render({ lines }));
    expect(pages.length).toBeGreaterThan(1);
    pages.forEach((p, i) => {
      expect(p).toContain(`Page ${i + 1} of ${pages.length}`);
      if (p.some((s) => s.startsWith('Item '))) expect(p).toContain('Description');
    });
    const all = pages.flat();
    for (const l of lines) expect(all.filter((s) => s === l.description), l.description).toHaveLength(1);
    expect(pages.at(-1)).toContain('Amount due');
    expect(all.filter((s) => s === 'Amount due')).toHaveLength(1);
  });

  it('keeps all text on the A4 page, and table rows clear of the page foot', () => {
    expectInsideMargins(render({ lines: items(200) }));
  });

  it('stays well-formed at every page boundary, totals kept together on the last page', () => {
    let prev = 1;
    for (let n = 0; n <= 110; n++) {
      const pdf = render({ lines: items(n) });
      const pages = pageTexts(pdf);
      xref(pdf).forEach((at, i) => expect(pdf.startsWith(`${i + 1} 0 obj`, at)).toBe(true));
      expectInsideMargins(pdf);
      expect(pages.length).toBeGreaterThanOrEqual(prev);
      prev = pages.length;
      const last = pages.at(-1) ?? [];
      for (const s of ['Total', 'Paid', 'Amount due']) expect(last, `${n} lines`).toContain(s);
      expect(pages.flat().filter((s) => s.startsWith('Item '))).toHaveLength(n);
    }
    expect(prev).toBeGreaterThan(2);
  });
});

const hasPdftotext = spawnSync('which', ['pdftotext']).status === 0;

describe('renderInvoicePdf: external reader', () => {
  it.skipIf(!hasPdftotext)('reads back with pdftotext', () => {
    const dir = mkdtempSync(join(tmpdir(), 'invoice-pdf-'));
    try {
      const file = join(dir, 'invoice.pdf');
      writeFileSync(file, renderInvoicePdf({ ...base, seller: { name: 'Zürich € Hosting', lines: [] }, lines: items(120) }));
      const r = spawnSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
      expect(r.status).toBe(0);
      expect(r.stderr).toBe(''); // poppler reports structural problems (bad xref etc.) on stderr
      for (const s of ['Invoice INV-000042', 'Zürich € Hosting', 'Bill to', 'Acme Widgets', 'Item 1 ', 'Item 120', 'USD 975.00']) {
        expect(r.stdout).toContain(s);
      }
      const n = Number(/Page 1 of (\d+)/.exec(r.stdout)?.[1]);
      expect(n).toBeGreaterThan(1);
      for (let i = 1; i <= n; i++) expect(r.stdout).toContain(`Page ${i} of ${n}`);
      expect(r.stdout.split('\f').filter((p) => p.trim())).toHaveLength(n); // one form feed per page
      expect(r.stdout).toMatch(/Amount due\s+USD 975\.00/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
