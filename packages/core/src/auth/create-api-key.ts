import { newId } from '@berth/contracts';
import type { TDb } from '@berth/db';
import { notFound } from '../errors/not-found.ts';
import { generateApiKey } from './api-key-format.ts';

type TOptions = { db: TDb; userId: string; name: string; scopes: string[]; expiresAt?: Date };

/** Create a key; the plain key is returned once and never stored. */
export const createApiKey = async ({ db, userId, name, scopes, expiresAt }: TOptions) => {
  const user = await db.user.findUnique({ where: { id: userId } });
  if (!user) throw notFound('user', userId);
  const { key, prefix, secretHash } = generateApiKey();
  const row = await db.apiKey.create({ data: { id: newId('apiKey'), userId, name, prefix, secretHash, scopes, expiresAt } });
  return { id: row.id, key };
};
