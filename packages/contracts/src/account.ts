import { z } from 'zod';
import { ZScope } from './api/scopes.ts';
import { ZId } from './ids.ts';
import { ZListQuery } from './pagination.ts';
import { ZSshPublicKey } from './ssh-key.ts';

const ZName = z.string().trim().min(1).max(120);

/** A tenant's quotas; null = unlimited. */
export const ZQuotas = z.object({
  maxServers: z.number().int().min(0).max(1_000_000).nullable(),
  maxCpuCores: z.number().min(0).max(1_000_000).nullable(),
  maxMemoryMb: z.number().int().min(0).max(1_000_000_000).nullable(),
  maxDiskGb: z.number().int().min(0).max(1_000_000_000).nullable(),
  maxIps: z.number().int().min(0).max(1_000_000).nullable(),
});
export type TQuotas = z.infer<typeof ZQuotas>;

export const ZTenant = z.object({
  id: ZId('tenant'),
  name: z.string(),
  /** The reseller tenant this customer tenant belongs to. */
  parentId: ZId('tenant').nullable(),
  privateNetwork: z.boolean(),
  quotas: ZQuotas,
  billingMode: z.enum(['prepaid', 'invoice']),
  currency: z.string(),
  createdAt: z.string(),
});
export type TTenant = z.infer<typeof ZTenant>;

export const ZCreateTenantRequest = z.object({
  name: ZName,
  /** Admins only: the reseller tenant to put it under. A reseller's new tenants always go under its own. */
  parentId: ZId('tenant').optional(),
  quotas: ZQuotas.partial().optional(),
  billingMode: z.enum(['prepaid', 'invoice']).optional(),
  currency: z.string().regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code such as USD').optional(),
});
export type TCreateTenantRequest = z.infer<typeof ZCreateTenantRequest>;

export const ZUpdateTenantByIdRequest = z.object({
  name: ZName.optional(),
  quotas: ZQuotas.partial().optional(),
  /** prepaid: must hold credit to order, and is suspended when it runs out; invoice: pays monthly invoices. */
  billingMode: z.enum(['prepaid', 'invoice']).optional(),
  /** Changing it applies to usage from now on; amounts already metered keep theirs. */
  currency: z.string().regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code such as USD').optional(),
}).refine((v) => Object.values(v).some((x) => x !== undefined), 'change at least one of name, quotas, billingMode, currency');
export type TUpdateTenantByIdRequest = z.infer<typeof ZUpdateTenantByIdRequest>;

export const ZListTenantsQuery = ZListQuery.extend({ parentId: ZId('tenant').optional() });
export type TListTenantsQuery = z.infer<typeof ZListTenantsQuery>;

export const ZUser = z.object({
  id: ZId('user'),
  tenantId: ZId('tenant'),
  email: z.string(),
  name: z.string(),
  role: z.enum(['admin', 'reseller', 'customer']),
  subUser: z.boolean(),
  createdAt: z.string(),
});
export type TUser = z.infer<typeof ZUser>;

export const ZCreateUserRequest = z.object({
  email: z.email().max(320),
  name: ZName,
  tenantId: ZId('tenant'),
  /** Resellers may create customers only; admins any role. */
  role: z.enum(['admin', 'reseller', 'customer']).default('customer'),
  password: z.string().min(12).max(1024).optional(),
  /** A sub-user sees only the servers its permissions name. A customer's new users are always sub-users. */
  subUser: z.boolean().optional(),
});
export type TCreateUserRequest = z.infer<typeof ZCreateUserRequest>;

export const ZListUsersQuery = ZListQuery.extend({ tenantId: ZId('tenant').optional() });
export type TListUsersQuery = z.infer<typeof ZListUsersQuery>;

export const ZApiKey = z.object({
  id: ZId('apiKey'),
  name: z.string(),
  /** The public part of the key, to recognise it; the secret is never shown again. */
  prefix: z.string(),
  scopes: z.array(z.string()),
  allowedIps: z.array(z.string()),
  expiresAt: z.string().nullable(),
  lastUsedAt: z.string().nullable(),
  createdAt: z.string(),
});
export type TApiKey = z.infer<typeof ZApiKey>;

const ZCidr = z.string().trim().max(64).regex(/^[0-9a-fA-F:.]+(\/\d{1,3})?$/, 'must be an IPv4/IPv6 address or CIDR');

export const ZCreateApiKeyRequest = z.object({
  name: ZName,
  scopes: z.array(ZScope).min(1).max(10),
  expiresAt: z.iso.datetime({ offset: true }).optional(),
  allowedIps: z.array(ZCidr).max(50).optional(),
});
export type TCreateApiKeyRequest = z.infer<typeof ZCreateApiKeyRequest>;
export const ZCreateApiKeyResponse = z.object({ apiKey: ZApiKey, key: z.string().describe('Shown once; store it now.') });

export const ZSshKey = z.object({ id: ZId('sshKey'), name: z.string(), publicKey: z.string(), fingerprint: z.string(), createdAt: z.string() });
export type TSshKey = z.infer<typeof ZSshKey>;
export const ZCreateSshKeyRequest = z.object({ name: ZName, publicKey: ZSshPublicKey });
export type TCreateSshKeyRequest = z.infer<typeof ZCreateSshKeyRequest>;

export const ZAuditEvent = z.object({
  id: ZId('auditEvent'),
  actorId: z.string().nullable(),
  tenantId: z.string().nullable(),
  action: z.string(),
  targetType: z.string(),
  targetId: z.string(),
  data: z.unknown().nullable(),
  apiKeyId: z.string().nullable(),
  ip: z.string().nullable(),
  requestId: z.string().nullable(),
  createdAt: z.string(),
});
export type TAuditEvent = z.infer<typeof ZAuditEvent>;
export const ZListAuditEventsQuery = ZListQuery.extend({
  targetId: z.string().max(64).optional(),
  action: z.string().max(64).optional(),
  tenantId: ZId('tenant').optional(),
  requestId: z.string().max(64).optional(),
});
export type TListAuditEventsQuery = z.infer<typeof ZListAuditEventsQuery>;

export const ZTotpBeginResponse = z.object({ secret: z.string(), otpauthUri: z.string() });
export const ZTotpCodeRequest = z.object({ code: z.string().trim().min(6).max(20) });
export const ZTotpConfirmResponse = z.object({ recoveryCodes: z.array(z.string()).describe('Single-use; shown once.') });

export const ZAccount = z.object({
  user: ZUser,
  totpEnabled: z.boolean(),
  /** What the calling credential may do (a key's scopes, or the role's for a session). */
  scopes: z.array(z.string()),
});
export type TAccount = z.infer<typeof ZAccount>;

export const ZChangePasswordRequest = z.object({ current: z.string().min(1).max(1024), next: z.string().min(12).max(1024) });
export type TChangePasswordRequest = z.infer<typeof ZChangePasswordRequest>;
