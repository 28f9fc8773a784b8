import type { TDb } from '@berth/db';
import { AppError } from '../errors/app-error.ts';
import { parseApiKey, secretMatches } from './api-key-format.ts';
import type { TPrincipal } from './principal.ts';

type TOptions = { db: TDb; authorization: string | null };

/** Resolve `Authorization: Bearer <key>` to a principal, or throw 401 without saying which part was wrong. */
export const authenticateApiKey = async ({ db, authorization }: TOptions): Promise<TPrincipal> => {
  const m = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
  if (!m) throw new AppError('unauthorized', 'Send an API key as `Authorization: Bearer <key>`.');
  const parsed = parseApiKey(m[1]!);
  const row = parsed ? await db.apiKey.findUnique({ where: { prefix: parsed.prefix }, include: { user: true } }) : null;
  const now = new Date();
  if (!parsed || !row || !secretMatches(parsed.secret, row.secretHash) || row.revokedAt || (row.expiresAt && row.expiresAt < now)) {
    throw new AppError('unauthorized', 'The API key is invalid, revoked or expired.');
  }
  // Best effort: a lost last-used update must never fail the request.
  if (!row.lastUsedAt || now.getTime() - row.lastUsedAt.getTime() > 60_000) {
    db.apiKey.update({ where: { id: row.id }, data: { lastUsedAt: now } }).catch(() => {});
  }
  return { userId: row.userId, tenantId: row.user.tenantId, role: row.user.role, scopes: row.scopes };
};
