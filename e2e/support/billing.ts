import { issueInvoices, meterServers } from '@berth/core';
import type { TDb } from '@berth/db';

/**
 * What only time makes, done as the worker would: the server is back-dated to `day` two months ago (so
 * at least one ended month is invoiceable whatever today's date), then metered and invoiced up to now.
 */
export const invoiceSinceTwoMonthsAgo = async ({ db, serverId, day, dueDays, now = new Date() }: { db: TDb; serverId: string; day: number; dueDays: number; now?: Date }) => {
  const since = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 2, day));
  await db.server.update({ where: { id: serverId }, data: { createdAt: since, billedThrough: since } });
  await db.serverPlanChange.updateMany({ where: { serverId }, data: { at: since } });
  while (await meterServers({ db, now })) { /* drain */ }
  while (await issueInvoices({ db, now, dueDays })) { /* drain */ }
};
