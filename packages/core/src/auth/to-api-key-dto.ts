import type { TApiKey } from '@berth/contracts';
import type { ApiKey } from '@berth/db';

export const toApiKeyDto = (k: ApiKey): TApiKey => ({
  id: k.id, name: k.name, prefix: k.prefix, scopes: k.scopes, allowedIps: k.allowedIps ?? [],
  expiresAt: k.expiresAt?.toISOString() ?? null, lastUsedAt: k.lastUsedAt?.toISOString() ?? null, createdAt: k.createdAt.toISOString(),
});
