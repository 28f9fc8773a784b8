import { Prisma, type TDb } from '@berth/db';
import { TX_OPTIONS } from '../tx-options.ts';
import { creditLeftSql } from './owes-sql.ts';

type TOptions = { db: TDb; now: Date; tenantIds: string[] };

/**
 * Prepaid accounts that have used more than their credit (balance minus unbilled usage below zero) are
 * suspended at once, like an overdue invoice past its grace period: dunning then stops their servers, and
 * a credit or payment that covers the debt lifts it (settleInvoices). Called with the tenants the meter
 * just charged, so the work follows the charges, never the whole customer base. Returns how many.
 */
export const suspendExhaustedPrepaid = async ({ db, now, tenantIds }: TOptions): Promise<number> => {
  if (!tenantIds.length) return 0;
  const exhausted = await db.$queryRaw<{ id: string }[]>`
    SELECT t.id FROM tenants t
    WHERE t.id = ANY(${tenantIds}) AND t.billing_mode = 'prepaid' AND t.suspended_at IS NULL
      AND ${creditLeftSql(Prisma.sql`t.id`)} < 0`;
  let n = 0;
  for (const { id } of exhausted) {
    // Re-checked under the tenant lock: a top-up may have landed since.
    n += await db.$transaction(async (tx) => {
      await tx.$queryRaw`SELECT id FROM tenants WHERE id = ${id} FOR UPDATE`;
      return tx.$executeRaw`
        UPDATE tenants t SET suspended_at = ${now} WHERE t.id = ${id} AND t.suspended_at IS NULL AND t.billing_mode = 'prepaid'
          AND ${creditLeftSql(Prisma.sql`t.id`)} < 0`;
    }, TX_OPTIONS);
  }
  return n;
};
