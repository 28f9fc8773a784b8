import type { TCreateApiKeyRequest } from '@berth/contracts';
import type { TDb } from '@berth/db';
import { recordAudit } from '../audit/record-audit.ts';
import { AppError } from '../errors/app-error.ts';
import { createApiKey } from './create-api-key.ts';
import { parseCidr } from './ip-allowlist.ts';
import { hasScope, requireScope, type TPrincipal } from './principal.ts';
import { toApiKeyDto } from './to-api-key-dto.ts';

type TOptions = { db: TDb; principal: TPrincipal; input: TCreateApiKeyRequest };

/** A new key for the caller: never a scope the calling credential does not itself hold. The plain key is returned once. */
export const issueApiKey = async ({ db, principal, input }: TOptions) => {
  requireScope(principal, 'account:write');
  const beyond = input.scopes.filter((s) => !hasScope(principal, s));
  if (beyond.length) {
    throw new AppError('forbidden', `You cannot grant scopes you do not hold: ${beyond.join(', ')}.`);
  }
  const bad = (input.allowedIps ?? []).filter((c) => !parseCidr(c));
  if (bad.length) throw new AppError('validation_failed', 'Invalid allowlist entries.', { fieldErrors: bad.map((c) => ({ path: 'allowedIps', message: `not an address or CIDR: ${c}` })) });
  const expiresAt = input.expiresAt ? new Date(input.expiresAt) : undefined;
  if (expiresAt && expiresAt.getTime() <= Date.now()) {
    throw new AppError('validation_failed', 'expiresAt is in the past.', { fieldErrors: [{ path: 'expiresAt', message: 'must be in the future' }] });
  }
  const { id, key } = await createApiKey({ db, userId: principal.userId, name: input.name, scopes: input.scopes, expiresAt, allowedIps: input.allowedIps ?? [] });
  const row = await db.apiKey.findUniqueOrThrow({ where: { id } });
  await db.$transaction((tx) => recordAudit({ tx, principal, action: 'api_key.create', targetType: 'api_key', targetId: id, data: { scopes: input.scopes } }));
  return { apiKey: toApiKeyDto(row), key };
};
