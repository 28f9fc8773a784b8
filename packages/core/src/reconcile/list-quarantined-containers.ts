import type { TListQuarantinedQuery, TQuarantinedContainer } from '@berth/contracts';
import type { QuarantinedContainer, TDb } from '@berth/db';
import { requireScope, type TPrincipal } from '../auth/principal.ts';
import { keyset } from '../pagination/keyset.ts';

type TOptions = { db: TDb; principal: TPrincipal; query?: TListQuarantinedQuery };

const iso = (d: Date | null) => d?.toISOString() ?? null;
const toDto = (r: QuarantinedContainer): TQuarantinedContainer => ({
  id: r.id, hostId: r.hostId, serverId: r.serverId, status: r.status, reason: r.reason, found: r.found, location: r.location,
  error: r.error, foundAt: r.createdAt.toISOString(), quarantinedAt: iso(r.quarantinedAt), purgeAfter: iso(r.purgeAfter), purgedAt: iso(r.purgedAt),
});

/** Reconciliation's findings, newest first (admins): quarantined orphans and cases waiting for an admin. */
export const listQuarantinedContainers = async ({ db, principal, query = { limit: 50 } }: TOptions) => {
  requireScope(principal, 'admin:*');
  const k = keyset(query.cursor, query.limit);
  const filter = { ...(query.status ? { status: query.status } : {}), ...(query.hostId ? { hostId: query.hostId } : {}) };
  const rows = await db.quarantinedContainer.findMany({ where: { ...k.where, ...filter }, orderBy: k.orderBy, take: k.take });
  return k.page(rows, toDto);
};
