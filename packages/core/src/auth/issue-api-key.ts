import type { TCreateApiKeyRequest } from '@berth/contracts';
import type { TDb } from '@berth/db';
import { recordAudit } from '../audit/record-audit.ts';
import { AppError } from '../errors/app-error.ts';
import { createApiKey } from './create-api-key.ts';
import { cidrWithin, parseCidr } from './ip-allowlist.ts';
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
  // A key minted with a key never outlives it nor reaches from more places: expiry and allowlist are capped.
  let cappedExpiry = expiresAt;
  let allowedIps = input.allowedIps ?? [];
  if (principal.apiKeyId) {
    const parent = await db.apiKey.findUniqueOrThrow({ where: { id: principal.apiKeyId } });
    if (parent.expiresAt && (!cappedExpiry || cappedExpiry > parent.expiresAt)) cappedExpiry = parent.expiresAt;
    if (parent.allowedIps.length) {
      if (!allowedIps.length) allowedIps = parent.allowedIps;
      const outside = allowedIps.filter((c) => !cidrWithin(c, parent.allowedIps));
      if (outside.length) throw new AppError('forbidden', `These addresses are outside this key's own allowlist: ${outside.join(', ')}.`);
    }
  }
  const { id, key } = await createApiKey({
    db, userId: principal.userId, name: input.name, scopes: input.scopes, expiresAt: cappedExpiry, allowedIps,
    then: (tx, apiKeyId) => recordAudit({ tx, principal, action: 'api_key.create', targetType: 'api_key', targetId: apiKeyId, data: { scopes: input.scopes } }),
  });
  const row = await db.apiKey.findUniqueOrThrow({ where: { id } });
  return { apiKey: toApiKeyDto(row), key };
};
