import { z } from 'zod';

/**
 * What an API key may do. `admin:*` implies every scope; a key never holds more than its user's role
 * grants (ROLE_SCOPES), and a signed-in person acts with the whole of their role's set.
 */
export const SCOPES = ['servers:read', 'servers:write', 'account:read', 'account:write', 'billing:read', 'admin:*'] as const;
export const ZScope = z.enum(SCOPES);
export type TScope = z.infer<typeof ZScope>;

export const ROLES = ['admin', 'reseller', 'customer'] as const;
export type TRole = (typeof ROLES)[number];

export const ROLE_SCOPES: Record<TRole, readonly TScope[]> = {
  admin: ['admin:*'],
  reseller: ['servers:read', 'servers:write', 'account:read', 'account:write', 'billing:read'],
  customer: ['servers:read', 'servers:write', 'account:read', 'account:write', 'billing:read'],
};
