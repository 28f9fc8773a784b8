import { formatInvoiceNumber, type TInvoice, type TLedgerEntry } from '@berth/contracts';
import type { Prisma } from '@berth/db';

type TLedgerRow = Prisma.LedgerEntryGetPayload<object>;
type TInvoiceRow = Prisma.InvoiceGetPayload<{ include: { lines: true } }>;

export const toLedgerEntryDto = (e: TLedgerRow): TLedgerEntry => ({
  id: e.id, tenantId: e.tenantId, kind: e.kind, amountCents: e.amountCents, currency: e.currency, reason: e.reason, actorId: e.actorId,
  invoiceId: e.invoiceId, provider: e.provider, reference: e.reference, createdAt: e.createdAt.toISOString(),
});

export const toInvoiceDto = (i: TInvoiceRow): TInvoice => ({
  id: i.id, number: formatInvoiceNumber(i.number), tenantId: i.tenantId, status: i.status, periodStart: i.periodStart.toISOString(),
  periodEnd: i.periodEnd.toISOString(), currency: i.currency, totalCents: i.totalCents, paidCents: i.paidCents,
  issuedAt: i.issuedAt.toISOString(), dueAt: i.dueAt.toISOString(), paidAt: i.paidAt?.toISOString() ?? null,
  lines: i.lines.map((l) => ({ serverId: l.serverId, description: l.description, hours: l.hours, unitCents: l.unitCents, amountCents: l.amountCents })),
});
