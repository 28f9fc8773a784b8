import { Prisma, type Plan, type TTx } from '@berth/db';
import { AppError } from '../errors/app-error.ts';
import { formatMoney } from './format-money.ts';
import { creditLeftSql, runningHourSql } from './owes-sql.ts';
import { priceForTenant } from './reseller-prices.ts';

type TOptions = { tx: TTx; tenantId: string; plan: Pick<Plan, 'id' | 'priceCentsHourly' | 'priceCentsMonthly'> };

/**
 * What a tenant can still spend: its balance, minus usage metered but not invoiced, minus the running
 * hour of the servers it already has (billed when the hour ends). Null for invoice-billed tenants.
 */
export const spendable = async (tx: TTx, tenantId: string): Promise<{ cents: number; currency: string } | null> => {
  const tenant = await tx.tenant.findUniqueOrThrow({ where: { id: tenantId }, select: { billingMode: true, currency: true } });
  if (tenant.billingMode !== 'prepaid') return null;
  const id = Prisma.sql`${tenantId}`;
  const [row] = await tx.$queryRaw<{ cents: bigint }[]>`SELECT (${creditLeftSql(id)} - ${runningHourSql(id)})::bigint AS cents`;
  return { cents: Number(row!.cents), currency: tenant.currency };
};

/** No orders while suspended for non-payment; a prepaid tenant must be able to pay a new server's first hour (else 402). */
export const requireFunds = async ({ tx, tenantId, plan }: TOptions): Promise<void> => {
  const tenant = await tx.tenant.findUniqueOrThrow({ where: { id: tenantId }, select: { suspendedAt: true } });
  if (tenant.suspendedAt) throw new AppError('insufficient_funds', 'This account is suspended for non-payment; pay to order again.');
  const left = await spendable(tx, tenantId);
  const need = (await priceForTenant(tx, tenantId, plan)).hourlyCents;
  if (left && left.cents < need) {
    throw new AppError('insufficient_funds', `This prepaid account can spend ${formatMoney(Math.max(0, left.cents), left.currency)}; the first hour of this plan costs ${formatMoney(need, left.currency)}. Add credit first.`);
  }
};
