import { Prisma } from '@berth/db';

/**
 * SQL condition: the tenant (an id expression) still owes — an invoice overdue at `now`, or, prepaid,
 * more used than credited (balance minus unbilled usage below zero). What keeps a suspension in place.
 */
export const owesSql = (id: Prisma.Sql, now: Date): Prisma.Sql => Prisma.sql`(
  EXISTS (SELECT 1 FROM invoices i WHERE i.tenant_id = ${id} AND i.status = 'issued' AND i.due_at < ${now})
  OR ((SELECT billing_mode FROM tenants WHERE id = ${id}) = 'prepaid'
      AND (SELECT coalesce(sum(amount_cents), 0) FROM ledger_entries WHERE tenant_id = ${id})
        - (SELECT coalesce(sum(amount_cents), 0) FROM usage_lines WHERE tenant_id = ${id} AND invoice_id IS NULL) < 0))`;
