import type { THost, TListQuery } from '@berth/contracts';
import type { TDb } from '@berth/db';
import { requireScope, type TPrincipal } from '../auth/principal.ts';
import { keyset } from '../pagination/keyset.ts';
import { HOST_INCLUDE, toHostDto } from './to-host-dto.ts';

type TOptions = { db: TDb; principal: TPrincipal; query?: TListQuery };

/** Hosts, newest first, with capacity, allocations and last heartbeat (admins). */
export const listHosts = async ({ db, principal, query = { limit: 200 } }: TOptions): Promise<{ data: THost[]; nextCursor: string | null }> => {
  requireScope(principal, 'admin:*');
  const k = keyset(query.cursor, query.limit);
  const rows = await db.host.findMany({ where: k.where, orderBy: k.orderBy, take: k.take, include: HOST_INCLUDE });
  return k.page(rows, toHostDto);
};
