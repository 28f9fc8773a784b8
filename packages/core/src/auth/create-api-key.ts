import { newId } from '@berth/contracts';
import type { TDb, TTx } from '@berth/db';
import { AppError } from '../errors/app-error.ts';
import { notFound } from '../errors/not-found.ts';
import { ROLE_SCOPES, SCOPES } from './principal.ts';
import { generateApiKey } from './api-key-format.ts';

type TOptions = {
  db: TDb; userId: string; name: string; scopes: string[]; expiresAt?: Date; allowedIps?: string[];
  /** Runs in the same transaction once the key exists (an audit event). */
  then?: (tx: TTx, apiKeyId: string) => Promise<void>;
};

/** Create a key; the plain key is returned once and never stored. */
export const createApiKey = async ({ db, userId, name, scopes, expiresAt, allowedIps = [], then }: TOptions) => {
  const user = await db.user.findUnique({ where: { id: userId } });
  if (!user) throw notFound('user', userId);
  // A key never exceeds its user's rights: only admins may hold admin:*, and only known scopes exist.
  const bad = scopes.filter((s) => !(SCOPES as readonly string[]).includes(s) || (user.role !== 'admin' && !(ROLE_SCOPES[user.role] as readonly string[]).includes(s)));
  if (bad.length) {
    throw new AppError('validation_failed', `Scopes not allowed for this user: ${bad.join(', ')}.`, {
      fieldErrors: [{ path: 'scopes', message: `not allowed: ${bad.join(', ')}` }],
    });
  }
  const { key, prefix, secretHash } = generateApiKey();
  const row = await db.$transaction(async (tx) => {
    const created = await tx.apiKey.create({ data: { id: newId('apiKey'), userId, name, prefix, secretHash, scopes, expiresAt, allowedIps } });
    await then?.(tx, created.id);
    return created;
  });
  return { id: row.id, key };
};
