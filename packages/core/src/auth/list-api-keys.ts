import type { TListQuery } from '@berth/contracts';
import type { TDb } from '@berth/db';
import { keyset } from '../pagination/keyset.ts';
import { requireScope, type TPrincipal } from './principal.ts';
import { toApiKeyDto } from './to-api-key-dto.ts';

type TOptions = { db: TDb; principal: TPrincipal; query: TListQuery };

/** The caller's own live (not revoked) keys. */
export const listApiKeys = async ({ db, principal, query }: TOptions) => {
  requireScope(principal, 'account:read');
  const k = keyset(query.cursor, query.limit);
  const rows = await db.apiKey.findMany({ where: { AND: [{ userId: principal.userId, revokedAt: null }, k.where] }, orderBy: k.orderBy, take: k.take });
  return k.page(rows, toApiKeyDto);
};
