import type { Plan, TTx } from '@berth/db';
import { hourlyCents } from './clock.ts';
import type { TPlanPrice } from './price-hours.ts';

type TRow = { resellerId: string; planId: string; kind: 'wholesale' | 'retail'; monthlyCents: number; hourlyCents: number | null };

/** Who pays for a server's hours, and at which of the reseller's prices. */
export type TPayer = { tenantId: string; currency: string; resellerId: string | null; kind: 'wholesale' | 'retail' | null };

/**
 * The payers of a server's hours: a reseller's customer pays the reseller's retail price and the reseller
 * the wholesale price the admin set it; a reseller's own servers cost it wholesale; anyone else pays the
 * list price. A missing reseller price falls back to the list price.
 */
export const payersOf = (s: { tenantId: string; currency: string; parentId: string | null; parentCurrency: string | null }): TPayer[] =>
  s.parentId
    ? [{ tenantId: s.tenantId, currency: s.currency, resellerId: s.parentId, kind: 'retail' }, { tenantId: s.parentId, currency: s.parentCurrency ?? s.currency, resellerId: s.parentId, kind: 'wholesale' }]
    : [{ tenantId: s.tenantId, currency: s.currency, resellerId: s.tenantId, kind: 'wholesale' }];

/** Reseller prices of these resellers and plans, in one query, as a lookup. */
export const loadResellerPrices = async (tx: TTx, resellerIds: string[], planIds: string[]) => {
  const rows: TRow[] = resellerIds.length && planIds.length
    ? await tx.resellerPrice.findMany({ where: { resellerId: { in: [...new Set(resellerIds)] }, planId: { in: [...new Set(planIds)] } } })
    : [];
  const byKey = new Map(rows.map((r) => [`${r.resellerId} ${r.planId} ${r.kind}`, r]));
  /** The price a payer pays for a plan: its reseller price if set, else the list price. */
  return (plan: Pick<Plan, 'id' | 'priceCentsHourly' | 'priceCentsMonthly'>, payer: Pick<TPayer, 'resellerId' | 'kind'>): TPlanPrice => {
    const r = payer.resellerId && payer.kind ? byKey.get(`${payer.resellerId} ${plan.id} ${payer.kind}`) : undefined;
    return r
      ? { hourlyCents: hourlyCents({ priceCentsHourly: r.hourlyCents, priceCentsMonthly: r.monthlyCents }), capCents: r.monthlyCents }
      : { hourlyCents: hourlyCents(plan), capCents: plan.priceCentsMonthly };
  };
};

/** What a tenant itself pays per hour and per month (its cap) for a plan: retail under a reseller, else wholesale or list. */
export const priceForTenant = async (tx: TTx, tenantId: string, plan: Pick<Plan, 'id' | 'priceCentsHourly' | 'priceCentsMonthly'>): Promise<TPlanPrice> => {
  const t = await tx.tenant.findUniqueOrThrow({ where: { id: tenantId }, select: { currency: true, parentId: true } });
  const [payer] = payersOf({ tenantId, currency: t.currency, parentId: t.parentId, parentCurrency: null });
  const priceOf = await loadResellerPrices(tx, [payer!.resellerId!], [plan.id]);
  return priceOf(plan, payer!);
};
