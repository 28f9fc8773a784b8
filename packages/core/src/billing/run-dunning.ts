import { Prisma, type TDb } from '@berth/db';
import { formatInvoiceNumber } from '@berth/contracts';
import { startOperation } from '../operations/start-operation.ts';
import { TX_OPTIONS } from '../tx-options.ts';
import { emitEvent } from '../webhooks/emit-event.ts';
import { owesSql } from './owes-sql.ts';
import { isBusy, resumeServers, suspendServers } from './suspend-servers.ts';

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

  const overdue = await db.invoice.findMany({ where: { status: 'issued', dueAt: { lt: now }, remindedAt: null }, orderBy: { dueAt: 'asc' }, take: batchSize });
  for (const inv of overdue) {
    await db.$transaction(async (tx) => {
      const claimed = await tx.invoice.updateMany({ where: { id: inv.id, status: 'issued', remindedAt: null }, data: { remindedAt: now } });
      if (!claimed.count) return; // another worker sent it
      await emitEvent({ tx, tenantId: inv.tenantId, type: 'invoice.overdue', data: { invoiceId: inv.id, number: formatInvoiceNumber(inv.number), dueAt: inv.dueAt.toISOString(), owedCents: inv.totalCents - inv.paidCents, currency: inv.currency } });
      done.reminded++;
    }, TX_OPTIONS);
  }

  // Tenants with an invoice overdue past the grace period, not yet suspended.
  const cutoff = new Date(now.getTime() - suspendAfterDays * DAY);
  const late = await db.$queryRaw<{ tenant_id: string }[]>`
    SELECT DISTINCT i.tenant_id FROM invoices i JOIN tenants t ON t.id = i.tenant_id
    WHERE i.status = 'issued' AND i.due_at < ${cutoff} AND t.suspended_at IS NULL
    LIMIT ${batchSize}`;
  for (const { tenant_id: tenantId } of late) {
    await db.$transaction(async (tx) => {
      await tx.$queryRaw`SELECT id FROM tenants WHERE id = ${tenantId} FOR UPDATE`;
      // Re-checked under the lock: a payment may have landed since the list was read.
      const claimed = await tx.$executeRaw`
        UPDATE tenants SET suspended_at = ${now} WHERE id = ${tenantId} AND suspended_at IS NULL
          AND EXISTS (SELECT 1 FROM invoices WHERE tenant_id = ${tenantId} AND status = 'issued' AND due_at < ${cutoff})`;
      if (claimed) done.suspendedTenants++;
    }, TX_OPTIONS);
  }

  // Suspended tenants: stop what still runs; paid-up tenants: give servers back; long-suspended: terminate.
  // Self-heal: a suspended tenant with nothing overdue any more (however it got there) is lifted.
  const healed = await db.$queryRaw<{ id: string }[]>`
    SELECT t.id FROM tenants t WHERE t.suspended_at IS NOT NULL AND NOT ${owesSql(Prisma.sql`t.id`, now)}
    LIMIT ${batchSize}`;
  for (const { id } of healed) {
    await db.$transaction(async (tx) => {
      await tx.$queryRaw`SELECT id FROM tenants WHERE id = ${id} FOR UPDATE`;
      await tx.$executeRaw`UPDATE tenants SET suspended_at = NULL WHERE id = ${id} AND NOT ${owesSql(Prisma.sql`${id}`, now)}`;
    }, TX_OPTIONS);
  }
  const suspended = await db.tenant.findMany({
    where: { suspendedAt: { not: null }, servers: { some: { status: { in: ['running', 'stopped', 'error'] } } } },
    select: { id: true }, orderBy: { suspendedAt: 'asc' }, take: batchSize,
  });
  for (const t of suspended) {
    done.suspendedServers += await db.$transaction(async (tx) => {
      await tx.$queryRaw`SELECT id FROM tenants WHERE id = ${t.id} FOR UPDATE`;
      const still = await tx.tenant.findUnique({ where: { id: t.id }, select: { suspendedAt: true } });
      return still?.suspendedAt ? suspendServers({ tx, tenantId: t.id }) : 0;
    }, TX_OPTIONS);
  }
  const paidUp = await db.$queryRaw<{ id: string }[]>`
    SELECT DISTINCT s.tenant_id AS id FROM servers s JOIN tenants t ON t.id = s.tenant_id
    WHERE s.status = 'suspended' AND t.suspended_at IS NULL LIMIT ${batchSize}`;
  for (const t of paidUp) {
    done.resumedServers += await db.$transaction(async (tx) => {
      await tx.$queryRaw`SELECT id FROM tenants WHERE id = ${t.id} FOR UPDATE`;
      const still = await tx.tenant.findUnique({ where: { id: t.id }, select: { suspendedAt: true } });
      return still?.suspendedAt ? 0 : resumeServers({ tx, tenantId: t.id });
    }, TX_OPTIONS);
  }
  if (terminateAfterDays > 0) {
    const limit = new Date(now.getTime() - terminateAfterDays * DAY);
    const doomed = await db.$queryRaw<{ id: string; tenant_id: string }[]>`
      SELECT s.id, s.tenant_id FROM servers s JOIN tenants t ON t.id = s.tenant_id
      WHERE s.status = 'suspended' AND t.suspended_at < ${limit} LIMIT ${batchSize}`;
    for (const s of doomed) {
      await db.$transaction(async (tx) => {
        // Re-checked under the tenant lock: a payment since the list was read saves the server.
        const [t] = await tx.$queryRaw<{ suspended_at: Date | null }[]>`SELECT suspended_at FROM tenants WHERE id = ${s.tenant_id} FOR UPDATE`;
        if (!t?.suspended_at || t.suspended_at >= limit) return;
        try {
          await startOperation({ tx, principal: null, serverId: s.id, type: 'destroy', allowedFrom: ['suspended'], nextStatus: 'deleting', params: { reason: 'unpaid' } });
          done.terminated++;
        } catch (err) {
          if (!isBusy(err)) throw err;
        }
      }, TX_OPTIONS);
    }
  }
  return done;
};
