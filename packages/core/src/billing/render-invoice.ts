import type { TDb } from '@berth/db';
import type { TPrincipal } from '../auth/principal.ts';
import { getInvoice } from './get-invoice.ts';
import { renderInvoicePdf } from './render-invoice-pdf.ts';

type TOptions = { db: TDb; principal: TPrincipal; invoiceId: string; seller: { name: string; lines: string[] } };

/**
 * The invoice as a PDF and its file name, rendered from the stored, immutable rows each time: names as
 * they were when it was issued (`seller` and the tenant's current name only for invoices from before
 * those were kept).
 */
export const renderInvoice = async ({ db, principal, invoiceId, seller }: TOptions) => {
  const inv = await getInvoice({ db, principal, invoiceId });
  const kept = await db.invoice.findUniqueOrThrow({ where: { id: invoiceId }, select: { customerName: true, sellerName: true, sellerLines: true } });
  const tenant = kept.customerName ? { name: kept.customerName } : await db.tenant.findUniqueOrThrow({ where: { id: inv.tenantId }, select: { name: true } });
  if (kept.sellerName) seller = { name: kept.sellerName, lines: kept.sellerLines };
  const pdf = renderInvoicePdf({
    number: inv.number, status: inv.status, issuedAt: inv.issuedAt, dueAt: inv.dueAt, periodStart: inv.periodStart, periodEnd: inv.periodEnd,
    currency: inv.currency, seller, customer: { name: tenant.name, id: inv.tenantId },
    lines: inv.lines.map((l) => ({ description: l.description, quantity: `${l.hours} h`, unitCents: l.unitCents, amountCents: l.amountCents })),
    totalCents: inv.totalCents, paidCents: inv.paidCents,
  });
  return { pdf, filename: `${inv.number}.pdf` };
};
