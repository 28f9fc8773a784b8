import type { TDb } from '@berth/db';
import { AppError } from '../errors/app-error.ts';
import { parseApiKey, secretMatches } from './api-key-format.ts';
import { ipAllowed } from './ip-allowlist.ts';
import { ROLE_SCOPES, type TPrincipal, type TRequestMeta } from './principal.ts';

type TOptions = { db: TDb; authorization: string | null; request?: TRequestMeta };

/** Resolve `Authorization: Bearer <key>` to a principal, or throw 401 without saying which part was wrong. */
export const authenticateApiKey = async ({ db, authorization, request }: TOptions): Promise<TPrincipal> => {
  const m = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
  if (!m) throw new AppError('unauthorized', 'Send an API key as `Authorization: Bearer <key>`.');
  const parsed = parseApiKey(m[1]!);
  const row = parsed ? await db.apiKey.findUnique({ where: { prefix: parsed.prefix }, include: { user: true } }) : null;
  const now = new Date();
  if (!parsed || !row || !secretMatches(parsed.secret, row.secretHash) || row.revokedAt || (row.expiresAt && row.expiresAt < now)) {
    throw new AppError('unauthorized', 'The API key is invalid, revoked or expired.');
  }
  if (row.allowedIps.length && !ipAllowed(request?.ip ?? null, row.allowedIps)) {
    throw new AppError('forbidden', `This API key may not be used from ${request?.ip ?? 'an unknown address'}.`);
  }
  // Best effort: a lost last-used update must never fail the request.
  if (!row.lastUsedAt || now.getTime() - row.lastUsedAt.getTime() > 60_000) {
    db.apiKey.update({ where: { id: row.id }, data: { lastUsedAt: now } }).catch(() => {});
  }
  // Never more than the user's role grants today (a demoted admin's old key loses admin:*).
  const role = row.user.role;
  const scopes = role === 'admin' ? row.scopes : row.scopes.filter((s) => (ROLE_SCOPES[role] as readonly string[]).includes(s));
  return {
    userId: row.userId, tenantId: row.user.tenantId, role, scopes, apiKeyId: row.id, request,
    subUser: row.user.subUser, tenantPermissions: row.user.permissions ?? [],
  };
};
