import type { Plan, TDb } from '@berth/db';

/**
 * Plans as a tenant sees their prices: a reseller's customers see the reseller's retail prices (what they
 * pay); everyone else the list price.
 */
export const withRetail = async (db: TDb, viewerTenantId: string, rows: Plan[]): Promise<Plan[]> => {
  const parentId = (await db.tenant.findUnique({ where: { id: viewerTenantId }, select: { parentId: true } }))?.parentId;
  if (!parentId || !rows.length) return rows;
  const retail = new Map((await db.resellerPrice.findMany({ where: { resellerId: parentId, kind: 'retail', planId: { in: rows.map((r) => r.id) } } })).map((r) => [r.planId, r]));
  return rows.map((row) => {
    const r = retail.get(row.id);
    return r ? { ...row, priceCentsMonthly: r.monthlyCents, priceCentsHourly: r.hourlyCents } : row;
  });
};
