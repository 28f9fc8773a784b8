import type { TListQuery } from '@berth/contracts';
import type { TDb } from '@berth/db';
import { requireScope, type TPrincipal } from '../auth/principal.ts';
import { keyset } from '../pagination/keyset.ts';
import { toSshKeyDto } from './to-ssh-key-dto.ts';

type TOptions = { db: TDb; principal: TPrincipal; query: TListQuery };

/** The caller's saved SSH keys. */
export const listSshKeys = async ({ db, principal, query }: TOptions) => {
  requireScope(principal, 'account:read');
  const k = keyset(query.cursor, query.limit);
  const rows = await db.sshKey.findMany({ where: { AND: [{ userId: principal.userId }, k.where] }, orderBy: k.orderBy, take: k.take });
  return k.page(rows, toSshKeyDto);
};
