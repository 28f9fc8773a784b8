import type { TDb } from '@berth/db';
import { formatInvoiceNumber } from '@berth/contracts';
import { startOperation } from '../operations/start-operation.ts';
import { TX_OPTIONS } from '../tx-options.ts';
import { emitEvent } from '../webhooks/emit-event.ts';
import { resumeServers, suspendServers } from './suspend-servers.ts';

type TOptions = {
  db: TDb;
  now: Date;
  /** Days after an invoice's due date before the tenant's servers are suspended. */
  suspendAfterDays: number;
  /** Days of suspension before the servers are destroyed; 0 = never. */
  terminateAfterDays: number;
  batchSize?: number;
};

const DAY = 86_400_000;

/**
 * Acting on non-payment, in bounded batches: an overdue invoice sends one reminder (invoice.overdue); past
 * the grace period the tenant is suspended and its servers stopped (customers cannot start them); after
 * a further period, if configured, they are destroyed. Tenants that paid get their servers back. Each
 * step works only on rows due for it, through indexes: nothing scans every server.
 */
export const runDunning = async ({ db, now, suspendAfterDays, terminateAfterDays, batchSize = 100 }: TOptions) => {
  const done = { reminded: 0, suspendedTenants: 0, suspendedServers: 0, resumedServers: 0, terminated: 0 };

  const overdue = await db.invoice.findMany({ where: { status: 'issued', dueAt: { lt: now }, remindedAt: null }, take: batchSize });
  for (const inv of overdue) {
    await db.$transaction(async (tx) => {
      const claimed = await tx.invoice.updateMany({ where: { id: inv.id, remindedAt: null }, data: { remindedAt: now } });
      if (!claimed.count) return; // another worker sent it
      await emitEvent({ tx, tenantId: inv.tenantId, type: 'invoice.overdue', data: { invoiceId: inv.id, number: formatInvoiceNumber(inv.number), dueAt: inv.dueAt.toISOString(), owedCents: inv.totalCents - inv.paidCents, currency: inv.currency } });
      done.reminded++;
    }, TX_OPTIONS);
  }

  // Tenants with an invoice overdue past the grace period, not yet suspended.
  const late = await db.$queryRaw<{ tenant_id: string }[]>`
    SELECT DISTINCT i.tenant_id FROM invoices i JOIN tenants t ON t.id = i.tenant_id
    WHERE i.status = 'issued' AND i.due_at < ${new Date(now.getTime() - suspendAfterDays * DAY)} AND t.suspended_at IS NULL
    LIMIT ${batchSize}`;
  for (const { tenant_id: tenantId } of late) {
    await db.$transaction(async (tx) => {
      await tx.$queryRaw`SELECT id FROM tenants WHERE id = ${tenantId} FOR UPDATE`;
      const claimed = await tx.tenant.updateMany({ where: { id: tenantId, suspendedAt: null }, data: { suspendedAt: now } });
      if (claimed.count) done.suspendedTenants++;
    }, TX_OPTIONS);
  }

  // Suspended tenants: stop what still runs; paid-up tenants: give servers back; long-suspended: terminate.
  const suspended = await db.tenant.findMany({ where: { suspendedAt: { not: null }, servers: { some: { status: { in: ['running', 'stopped', 'error'] } } } }, select: { id: true }, take: batchSize });
  for (const t of suspended) {
    done.suspendedServers += await db.$transaction(async (tx) => {
      await tx.$queryRaw`SELECT id FROM tenants WHERE id = ${t.id} FOR UPDATE`;
      const still = await tx.tenant.findUnique({ where: { id: t.id }, select: { suspendedAt: true } });
      return still?.suspendedAt ? suspendServers({ tx, tenantId: t.id }) : 0;
    }, TX_OPTIONS);
  }
  const paidUp = await db.tenant.findMany({ where: { suspendedAt: null, servers: { some: { status: 'suspended' } } }, select: { id: true }, take: batchSize });
  for (const t of paidUp) {
    done.resumedServers += await db.$transaction(async (tx) => {
      await tx.$queryRaw`SELECT id FROM tenants WHERE id = ${t.id} FOR UPDATE`;
      const still = await tx.tenant.findUnique({ where: { id: t.id }, select: { suspendedAt: true } });
      return still?.suspendedAt ? 0 : resumeServers({ tx, tenantId: t.id });
    }, TX_OPTIONS);
  }
  if (terminateAfterDays > 0) {
    const doomed = await db.server.findMany({
      where: { status: 'suspended', tenant: { suspendedAt: { lt: new Date(now.getTime() - terminateAfterDays * DAY) } }, operations: { none: { status: { in: ['queued', 'running'] } } } },
      select: { id: true }, take: batchSize,
    });
    for (const s of doomed) {
      await db.$transaction((tx) => startOperation({ tx, principal: null, serverId: s.id, type: 'destroy', allowedFrom: ['suspended'], nextStatus: 'deleting', params: { reason: 'unpaid' } }), TX_OPTIONS);
      done.terminated++;
    }
  }
  return done;
};
