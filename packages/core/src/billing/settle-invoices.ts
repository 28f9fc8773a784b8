import { formatInvoiceNumber } from '@berth/contracts';
import { Prisma, type TTx } from '@berth/db';
import { emitEvent } from '../webhooks/emit-event.ts';
import { owesSql } from './owes-sql.ts';
import { resumeServers } from './suspend-servers.ts';

type TOptions = { tx: TTx; tenantId: string; now: Date };

/**
 * Spread the tenant's balance over its open invoices. The ledger holds every invoice as a charge, so a
 * negative balance is what is still owed: it is owed on the newest invoices, and the oldest are paid first.
 * An invoice fully covered becomes paid (`invoice.paid`); paid invoices stay paid. A tenant suspended for
 * non-payment that owes nothing any more (nothing overdue; prepaid: back in credit) is lifted and its servers come back. Call inside the transaction
 * that changed the ledger, after locking the tenant row.
 */
export const settleInvoices = async ({ tx, tenantId, now }: TOptions): Promise<void> => {
  const [sum] = await tx.$queryRaw<{ balance: bigint }[]>`
    SELECT coalesce(sum(amount_cents), 0)::bigint AS balance FROM ledger_entries WHERE tenant_id = ${tenantId}`;
  const balance = sum?.balance ?? 0n;
  let owed = balance < 0n ? Number(-balance) : 0;
  const open = await tx.invoice.findMany({ where: { tenantId, status: 'issued' }, orderBy: { number: 'desc' } });
  for (const inv of open) {
    const due = Math.min(inv.totalCents, owed);
    owed -= due;
    const paidCents = inv.totalCents - due;
    if (due === 0) {
      await tx.invoice.update({ where: { id: inv.id }, data: { status: 'paid', paidCents, paidAt: now } });
      await emitEvent({ tx, tenantId, type: 'invoice.paid', data: { invoiceId: inv.id, number: formatInvoiceNumber(inv.number), totalCents: inv.totalCents, currency: inv.currency } });
    } else if (paidCents !== inv.paidCents) {
      await tx.invoice.update({ where: { id: inv.id }, data: { paidCents } });
    }
  }
  const lifted = await tx.$executeRaw`
    UPDATE tenants SET suspended_at = NULL WHERE id = ${tenantId} AND suspended_at IS NOT NULL AND NOT ${owesSql(Prisma.sql`${tenantId}`, now)}`;
  if (lifted) await resumeServers({ tx, tenantId });
};
