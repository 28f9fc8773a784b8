import { Prisma, type TDb } from '@berth/db';
import { TX_OPTIONS } from '../tx-options.ts';
import { hourStart, monthStart } from './clock.ts';
import { priceHours, type TPlanPrice } from './price-hours.ts';
import { loadResellerPrices, payersOf } from './reseller-prices.ts';

type TOptions = {
  db: TDb; now: Date; batchSize?: number;
  /** After the batch committed: the tenants charged in it (prepaid ones may have run out). */
  onCharged?: (tenantIds: string[]) => void;
};
type TDue = {
  id: string; plan_id: string; tenant_id: string; currency: string; parent_id: string | null; parent_currency: string | null;
  created_at: Date; deleted_at: Date | null; billed_through: Date;
};

/**
 * Bill the ended, unbilled hours of one batch of servers (those furthest behind first) and move their
 * watermarks, in one transaction. Rows are claimed FOR UPDATE SKIP LOCKED, and the charge and the new
 * watermark commit together, so two meters never bill an hour twice and a crash bills nothing; a meter
 * that was down catches up hour by hour. Returns how many servers were metered (0: nothing due).
 */
export const meterServers = async ({ db, now, batchSize = 200, onCharged }: TOptions): Promise<number> => {
  const until = hourStart(now);
  const payers = new Set<string>();
  const n = await db.$transaction(async (tx) => {
    const due = await tx.$queryRaw<TDue[]>`
      SELECT s.id, s.plan_id, s.tenant_id, t.currency, t.parent_id, p.currency AS parent_currency, s.created_at, s.deleted_at, s.billed_through
      FROM servers s JOIN tenants t ON t.id = s.tenant_id LEFT JOIN tenants p ON p.id = t.parent_id
      WHERE s.billed_through < ${until} AND (s.deleted_at IS NULL OR date_trunc('hour', s.billed_through) < s.deleted_at)
      ORDER BY s.billed_through LIMIT ${batchSize}
      FOR UPDATE OF s SKIP LOCKED`;
    if (!due.length) return 0;
    const ids = due.map((s) => s.id);
    const earliest = monthStart(due.reduce((a, s) => (s.billed_through < a ? s.billed_through : a), due[0]!.billed_through));
    const [changes, charged] = await Promise.all([
      tx.serverPlanChange.findMany({ where: { serverId: { in: ids } }, orderBy: [{ at: 'asc' }, { id: 'asc' }] }),
      tx.usageLine.groupBy({ by: ['serverId', 'month', 'tenantId'], where: { serverId: { in: ids }, month: { gte: earliest } }, _sum: { amountCents: true } }),
    ]);
    const plans = await tx.plan.findMany({ where: { id: { in: [...new Set([...changes.map((c) => c.planId), ...due.map((s) => s.plan_id)])] } } });
    // Servers from before plan history was kept have none: their current plan since creation.
    const historyOf = (s: TDue) => {
      const own = changes.filter((c) => c.serverId === s.id);
      return own.length ? own : [{ planId: s.plan_id, at: s.created_at }];
    };
    const planById = new Map(plans.map((p) => [p.id, p]));
    const priceOf = await loadResellerPrices(tx, due.flatMap((s) => [s.tenant_id, ...(s.parent_id ? [s.parent_id] : [])]), plans.map((p) => p.id));
    const rows: Prisma.Sql[] = [];
    const marks: Prisma.Sql[] = [];
    for (const s of due) {
      let next = s.billed_through;
      // Each payer (a reseller's customer at retail and the reseller at wholesale, or the one owner) gets
      // its own lines and its own monthly cap at its own prices; the watermark moves once for all.
      for (const payer of payersOf({ tenantId: s.tenant_id, currency: s.currency, parentId: s.parent_id, parentCurrency: s.parent_currency })) {
        const prices = new Map<string, TPlanPrice>([...planById.values()].map((p) => [p.id, priceOf(p, payer)]));
        const { hours, billedThrough } = priceHours({
          createdAt: s.created_at, deletedAt: s.deleted_at, billedThrough: s.billed_through, now,
          planChanges: historyOf(s),
          prices,
          chargedByMonth: new Map(charged.filter((c) => c.serverId === s.id && c.tenantId === payer.tenantId).map((c) => [c.month.toISOString(), c._sum.amountCents ?? 0])),
        });
        next = billedThrough;
        // One usage line per (month, plan): hours and cents add up.
        const lines = new Map<string, { month: Date; planId: string; hours: number; cents: number }>();
        for (const h of hours) {
          const key = `${h.month.toISOString()} ${h.planId}`;
          const line = lines.get(key) ?? { month: h.month, planId: h.planId, hours: 0, cents: 0 };
          line.hours += 1;
          line.cents += h.cents;
          lines.set(key, line);
        }
        for (const l of lines.values()) {
          if (l.cents > 0) payers.add(payer.tenantId);
          rows.push(Prisma.sql`(${s.id}, ${l.month}, ${l.planId}, ${payer.tenantId}, ${payer.currency}, ${l.hours}, ${l.cents}, ${prices.get(l.planId)!.hourlyCents})`);
        }
      }
      marks.push(Prisma.sql`(${s.id}, ${next}::timestamp)`);
    }
    if (rows.length) {
      await tx.$executeRaw`
        INSERT INTO usage_lines (server_id, month, plan_id, tenant_id, currency, hours, amount_cents, unit_cents)
        VALUES ${Prisma.join(rows)}
        ON CONFLICT (server_id, month, plan_id, tenant_id) DO UPDATE
          SET hours = usage_lines.hours + EXCLUDED.hours, amount_cents = usage_lines.amount_cents + EXCLUDED.amount_cents`;
    }
    await tx.$executeRaw`
      UPDATE servers s SET billed_through = m.at FROM (VALUES ${Prisma.join(marks)}) AS m(id, at) WHERE s.id = m.id`;
    return due.length;
  }, TX_OPTIONS);
  if (payers.size) onCharged?.([...payers]);
  return n;
};
