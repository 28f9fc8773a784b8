import type { TPrincipal } from '../auth/principal.ts';

/** Webhooks a principal may see: its tenant's, and none at all for a sub-user (they belong to the account owner). */
export const visibleWebhooks = (p: TPrincipal): object => (p.subUser ? { id: { in: [] as string[] } } : { tenantId: p.tenantId });
