import type { TDb } from '@berth/db';
import { recordAudit } from '../audit/record-audit.ts';
import { notFound } from '../errors/not-found.ts';
import { TX_OPTIONS } from '../tx-options.ts';
import { requireScope, type TPrincipal } from './principal.ts';

type TOptions = { db: TDb; principal: TPrincipal; apiKeyId: string };

/** Revoke one of the caller's keys; it fails authentication from the next request on. */
export const revokeApiKey = async ({ db, principal, apiKeyId }: TOptions): Promise<null> => {
  requireScope(principal, 'account:write');
  await db.$transaction(async (tx) => {
    const n = await tx.apiKey.updateMany({ where: { id: apiKeyId, userId: principal.userId, revokedAt: null }, data: { revokedAt: new Date() } });
    if (n.count !== 1) throw notFound('API key', apiKeyId);
    await recordAudit({ tx, principal, action: 'api_key.revoke', targetType: 'api_key', targetId: apiKeyId });
  }, TX_OPTIONS);
  return null;
};
