export type TInvoicePdf = {
  number: string; // e.g. "INV-000042"
  status: string; // 'issued' | 'paid' | 'void'
  issuedAt: string; // ISO date-time (UTC)
  dueAt: string; // ISO
  periodStart: string; // ISO, first instant of the billed month
  periodEnd: string; // ISO, exclusive end
  currency: string; // ISO 4217, e.g. 'USD', 'EUR', 'JPY'
  seller: { name: string; lines: string[] }; // address lines etc.
  customer: { name: string; id: string };
  lines: { description: string; quantity: string; unitCents: number; amountCents: number }[];
  totalCents: number;
  paidCents: number; // amount already paid against it
};

// Internally every "byte string" holds one char per output byte (codes 0..255), so string length == byte length
// and xref offsets can be computed with .length before one final latin1 conversion.

// Standard 14 font metrics (AFM advance widths, 1/1000 em) for WinAnsi codes 32..126.
const parseWidths = (s: string): number[] => s.trim().split(/\s+/).map(Number);
const HELVETICA = parseWidths(`
  278 278 355 556 556 889 667 191 333 333 389 584 278 333 278 278 556 556 556 556 556 556 556 556 556 556 278 278
  584 584 584 556 1015 667 667 722 722 667 611 778 722 278 500 667 556 833 722 778 667 778 722 667 611 722 667 944
  667 667 611 278 278 278 469 556 333 556 556 500 556 556 278 556 556 222 222 500 222 833 556 556 556 556 333 500
  278 556 500 722 500 500 500 334 260 334 584`);
const HELVETICA_BOLD = parseWidths(`
  278 333 474 556 556 889 722 238 333 333 389 584 278 333 278 278 556 556 556 556 556 556 556 556 556 556 333 333
  584 584 584 611 975 722 722 722 722 667 611 778 722 278 556 722 611 833 722 778 667 778 722 667 611 722 667 944
  667 667 611 333 278 333 584 556 333 556 611 556 611 556 333 611 611 278 278 556 278 889 611 611 611 611 389 556
  333 611 556 778 556 556 500 389 280 389 584`);
type TFont = 'F1' | 'F2'; // F1 = Helvetica, F2 = Helvetica-Bold

// WinAnsi bytes 0x80..0x9F (\0 = unused); everything from 0xA0 up is identical to Latin-1.
const WIN_ANSI_80 = '€\0‚ƒ„…†‡ˆ‰Š‹Œ\0Ž\0\0‘’“”•–—˜™š›œ\0žŸ';

const MINOR_UNITS: Record<string, number> = { JPY: 0, KRW: 0, VND: 0, CLP: 0, ISK: 0, UGX: 0, XAF: 0, XOF: 0, BHD: 3, KWD: 3, OMR: 3, JOD: 3, TND: 3 };

/** "USD 12.34", "JPY 1234", "-KWD 0.005": digit-string surgery so no float ever touches the amount. */
const formatMoney = (minor: number, currency: string): string => {
  if (!Number.isSafeInteger(minor)) throw new RangeError(`invoice amount is not an integer number of minor units: ${minor}`);
  const code = currency.trim().toUpperCase();
  const exp = MINOR_UNITS[code] ?? 2;
  const digits = String(Math.abs(minor)).padStart(exp + 1, '0');
  const major = exp ? `${digits.slice(0, -exp)}.${digits.slice(-exp)}` : digits;
  return `${minor < 0 ? '-' : ''}${code} ${major}`;
};

/** Unicode text -> WinAnsi byte string: controls dropped (tab/newlines become spaces), unmappable code points '?'. */
const encode = (text: string): string => {
  let out = '';
  for (const ch of text.normalize('NFC')) {
    const cp = ch.codePointAt(0) ?? 0;
    if (cp < 0x20 || (cp >= 0x7f && cp < 0xa0)) out += /[\t\n\r]/.test(ch) ? ' ' : '';
    else if (cp <= 0xff) out += ch;
    else {
      const i = WIN_ANSI_80.indexOf(ch);
      out += i >= 0 ? String.fromCharCode(0x80 + i) : '?';
    }
  }
  return out;
};

const escape = (bytes: string): string => bytes.replace(/[\\()]/g, '\\$&');

const glyphWidth = (code: number, table: number[]): number => {
  if (code >= 32 && code <= 126) return table[code - 32] ?? 1000;
  // Accented Latin-1 letters are as wide as their base letter; anything else gets the widest advance, so
  // estimates err towards truncating early rather than overflowing into the next column.
  const base = code >= 0xc0 ? String.fromCharCode(code).normalize('NFD').charCodeAt(0) : 0;
  return base >= 65 && base <= 122 ? (table[base - 32] ?? 1000) : 1000;
};

const width = (bytes: string, font: TFont, size: number): number => {
  const table = font === 'F2' ? HELVETICA_BOLD : HELVETICA;
  let w = 0;
  for (let i = 0; i < bytes.length; i++) w += glyphWidth(bytes.charCodeAt(i), table);
  return (w * size) / 1000;
};

/** Cut to fit `max` points, marking the cut with "..." (never lets text run into the next column). */
const truncate = (bytes: string, font: TFont, size: number, max: number): string => {
  if (width(bytes, font, size) <= max) return bytes;
  for (let n = bytes.length - 1; n > 0; n--) {
    const cut = `${bytes.slice(0, n).trimEnd()}...`;
    if (width(cut, font, size) <= max) return cut;
  }
  return width('...', font, size) <= max ? '...' : '';
};

const num = (n: number): string => String(Number(n.toFixed(2)));

// A4 in points; table columns are [left, right] edges, money columns right-aligned on their right edge.
const PAGE_W = 595;
const PAGE_H = 842;
const LEFT = 50;
const RIGHT = 545;
const COL = { desc: [LEFT, 295], qty: [305, 355], unit: [362, 450], amount: [457, RIGHT] } as const;
const TOP = 790;
const BOTTOM = 64; // lowest row baseline; the page foot sits below it
const ROW = 16;
const MAX_SELLER_LINES = 8; // keeps the header from running into the table on page 1

class Page {
  ops: string[] = [];

  text(font: TFont, size: number, x: number, y: number, bytes: string): void {
    if (bytes) this.ops.push(`BT /${font} ${num(size)} Tf ${num(x)} ${num(y)} Td (${escape(bytes)}) Tj ET`);
  }

  /** Left-aligned, truncated to `max` points. */
  left(font: TFont, size: number, x: number, y: number, text: string, max: number): void {
    this.text(font, size, x, y, truncate(encode(text), font, size, max));
  }

  /** Right-aligned at `right`, at most `max` wide: amounts shrink rather than lose digits, free text is cut. */
  right(font: TFont, size: number, right: number, y: number, text: string, max: number, fit: 'shrink' | 'cut' = 'shrink'): void {
    const bytes = fit === 'cut' ? truncate(encode(text), font, size, max) : encode(text);
    const w = width(bytes, font, size);
    const s = w > max ? (size * max) / w : size;
    this.text(font, s, right - width(bytes, font, s), y, bytes);
  }

  rule(y: number, x0 = LEFT, x1 = RIGHT): void {
    this.ops.push(`0.5 w ${num(x0)} ${num(y)} m ${num(x1)} ${num(y)} l S`);
  }
}

export const renderInvoicePdf = (invoice: TInvoicePdf): Uint8Array => {
  const money = (minor: number) => formatMoney(minor, invoice.currency);
  const day = (iso: string, minusMs = 0) => {
    const t = Date.parse(iso);
    if (Number.isNaN(t)) throw new RangeError(`invoice date is not a valid ISO date: ${iso}`);
    return new Date(t - minusMs).toISOString().slice(0, 10);
  };
  const pages: Page[] = [];
  const newPage = () => {
    const p = new Page();
    pages.push(p);
    return p;
  };
  const tableHeader = (p: Page, y: number) => {
    p.left('F2', 10, COL.desc[0], y, 'Description', COL.desc[1] - COL.desc[0]);
    p.right('F2', 10, COL.qty[1], y, 'Quantity', COL.qty[1] - COL.qty[0]);
    p.right('F2', 10, COL.unit[1], y, 'Unit price', COL.unit[1] - COL.unit[0]);
    p.right('F2', 10, COL.amount[1], y, 'Amount', COL.amount[1] - COL.amount[0]);
    p.rule(y - 6);
    return y - 6 - ROW;
  };

  // Page 1 header: title and status, seller on the left, dates on the right, then the customer.
  let page = newPage();
  page.left('F2', 20, LEFT, TOP, `Invoice ${invoice.number}`, 330);
  page.right('F2', 12, RIGHT, TOP, `Status: ${invoice.status.toUpperCase()}`, 150);
  let yl = TOP - 34;
  page.left('F2', 11, LEFT, yl, invoice.seller.name, 250);
  for (const line of invoice.seller.lines.slice(0, MAX_SELLER_LINES)) page.left('F1', 10, LEFT, (yl -= 14), line, 250);
  yl -= 26;
  page.left('F2', 11, LEFT, yl, 'Bill to', 250);
  page.left('F1', 10, LEFT, (yl -= 14), invoice.customer.name, 250);
  page.left('F1', 10, LEFT, (yl -= 14), `Customer ID: ${invoice.customer.id}`, 250);
  const facts: [string, string][] = [
    ['Issued', day(invoice.issuedAt)],
    ['Due', day(invoice.dueAt)],
    ['Period', `${day(invoice.periodStart)} to ${day(invoice.periodEnd, 1)}`], // end is exclusive: show the last billed day
  ];
  let yr = TOP - 34;
  for (const [label, value] of facts) {
    page.left('F2', 10, 330, yr, `${label}:`, 55);
    page.left('F1', 10, 385, yr, value, RIGHT - 385);
    yr -= 14;
  }
  let y = tableHeader(page, Math.min(yl, yr) - 30);

  // Lines: one row each, continuing on fresh pages (header repeated) when the page is full.
  for (const line of invoice.lines) {
    if (y < BOTTOM) {
      page = newPage();
      page.left('F2', 12, LEFT, TOP, `Invoice ${invoice.number} (continued)`, RIGHT - LEFT);
      y = tableHeader(page, TOP - 30);
    }
    page.left('F1', 10, COL.desc[0], y, line.description, COL.desc[1] - COL.desc[0]);
    page.right('F1', 10, COL.qty[1], y, line.quantity, COL.qty[1] - COL.qty[0], 'cut');
    page.right('F1', 10, COL.unit[1], y, money(line.unitCents), COL.unit[1] - COL.unit[0]);
    page.right('F1', 10, COL.amount[1], y, money(line.amountCents), COL.amount[1] - COL.amount[0]);
    y -= ROW;
  }

  // Totals stay together; they move to a page of their own rather than split.
  const totals: [string, number][] = [
    ['Total', invoice.totalCents],
    ['Paid', invoice.paidCents],
    ['Amount due', invoice.totalCents - invoice.paidCents],
  ];
  if (y - ROW * (totals.length - 1) - 8 < BOTTOM) {
    page = newPage();
    page.left('F2', 12, LEFT, TOP, `Invoice ${invoice.number} (continued)`, RIGHT - LEFT);
    y = TOP - 40;
  }
  page.rule(y + 8, COL.unit[0] - 60, RIGHT);
  y -= 8;
  for (const [label, cents] of totals) {
    const font: TFont = label === 'Amount due' ? 'F2' : 'F1';
    page.right(font, 10, COL.unit[1], y, label, COL.unit[1] - COL.unit[0] + 60);
    page.right(font, 10, COL.amount[1], y, money(cents), COL.amount[1] - COL.amount[0]);
    y -= ROW;
  }

  // Page foot, once the page count is known.
  pages.forEach((p, i) => {
    const foot = encode(`Page ${i + 1} of ${pages.length}`);
    p.text('F1', 9, (PAGE_W - width(foot, 'F1', 9)) / 2, 30, foot);
  });

  // Objects: 1 catalog, 2 pages tree, 3-4 fonts, 5 info, then a (page, content stream) pair per page.
  const pageNo = (i: number) => 6 + 2 * i;
  const font = (base: string) => `<< /Type /Font /Subtype /Type1 /BaseFont /${base} /Encoding /WinAnsiEncoding >>`;
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    `<< /Type /Pages /Kids [${pages.map((_, i) => `${pageNo(i)} 0 R`).join(' ')}] /Count ${pages.length} >>`,
    font('Helvetica'),
    font('Helvetica-Bold'),
    `<< /Title (${escape(encode(`Invoice ${invoice.number}`))}) /Producer (berth) >>`,
  ];
  pages.forEach((p, i) => {
    const stream = p.ops.join('\n');
    objects.push(
      `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 ${PAGE_W} ${PAGE_H}] /Resources << /Font << /F1 3 0 R /F2 4 0 R >> >> /Contents ${pageNo(i) + 1} 0 R >>`,
      `<< /Length ${stream.length} >>\nstream\n${stream}\nendstream`,
    );
  });

  // The binary comment line tells transfer tools the file is not 7-bit text.
  let out = '%PDF-1.4\n%\xe2\xe3\xcf\xd3\n';
  const offsets = objects.map((body, i) => {
    const at = out.length;
    out += `${i + 1} 0 obj\n${body}\nendobj\n`;
    return at;
  });
  const xref = out.length;
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`; // each entry exactly 20 bytes, hence "f \n" / "n \n"
  out += offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('');
  out += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R /Info 5 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return new Uint8Array(Buffer.from(out, 'latin1'));
};
