import { Prisma } from '@berth/db';

/** SQL: what a tenant (an id expression) has left — its ledger balance minus usage metered but not invoiced. */
export const creditLeftSql = (id: Prisma.Sql): Prisma.Sql => Prisma.sql`(
  (SELECT coalesce(sum(amount_cents), 0) FROM ledger_entries WHERE tenant_id = ${id})
  - (SELECT coalesce(sum(amount_cents), 0) FROM usage_lines WHERE tenant_id = ${id} AND invoice_id IS NULL))`;

/** SQL: the running hour of a tenant's servers at list prices (billed when the hour ends). */
export const runningHourSql = (id: Prisma.Sql): Prisma.Sql => Prisma.sql`(
  SELECT coalesce(sum(coalesce(p.price_cents_hourly, ceil(p.price_cents_monthly / 672.0)::int)), 0)
  FROM servers s JOIN plans p ON p.id = s.plan_id WHERE s.tenant_id = ${id} AND s.deleted_at IS NULL)`;

/**
 * SQL condition: the tenant (an id expression) still owes — an invoice overdue at `now`, or, prepaid, not
 * enough credit for what it used plus the next hour of its servers (lifting a suspension that the next
 * charge re-imposes would flap). What keeps a suspension in place.
 */
export const owesSql = (id: Prisma.Sql, now: Date): Prisma.Sql => Prisma.sql`(
  EXISTS (SELECT 1 FROM invoices i WHERE i.tenant_id = ${id} AND i.status = 'issued' AND i.due_at < ${now})
  OR ((SELECT billing_mode FROM tenants WHERE id = ${id}) = 'prepaid'
      AND ${creditLeftSql(id)} - ${runningHourSql(id)} < 0))`;
