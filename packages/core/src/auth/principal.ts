import { ROLE_SCOPES, SCOPES, type TScope } from '@berth/contracts';
import type { UserRole } from '@berth/db';
import { AppError } from '../errors/app-error.ts';

export { ROLE_SCOPES, SCOPES, type TScope };

/** Where a call came from, recorded with every audit event it causes. */
export type TRequestMeta = { ip: string | null; requestId: string | null };

/** Who is calling: resolved from an API key or a UI session before any core verb runs. */
export type TPrincipal = {
  userId: string;
  tenantId: string;
  role: UserRole;
  scopes: string[];
  /** A sub-user: sees only the servers its permission rows name, and acts only as they allow. */
  subUser?: boolean;
  /** A sub-user's tenant-wide rights (servers:create, billing). */
  tenantPermissions?: string[];
  /** The key the call authenticated with; null for a UI session or the platform itself. */
  apiKeyId?: string | null;
  request?: TRequestMeta;
};

export const hasScope = (p: TPrincipal, scope: TScope): boolean =>
  p.scopes.includes('admin:*') || p.scopes.includes(scope);

export const requireScope = (p: TPrincipal, scope: TScope): void => {
  if (!hasScope(p, scope)) throw new AppError('forbidden', `This key lacks the ${scope} scope.`);
};

/** Prisma filter for rows a principal may see; everything else is reported as not found. */
export const tenantScope = (p: TPrincipal): { tenantId?: string; tenant?: { OR: object[] }; permissions?: object } => {
  if (p.role === 'admin') return {};
  if (p.subUser) return { tenantId: p.tenantId, permissions: { some: { userId: p.userId } } };
  if (p.role === 'reseller') return { tenant: { OR: [{ id: p.tenantId }, { parentId: p.tenantId }] } };
  return { tenantId: p.tenantId };
};

/** Owners, resellers and admins: everyone but a sub-user, who only gets what permissions grant. */
export const requireNotSubUser = (p: TPrincipal, what: string): void => {
  if (p.subUser) throw new AppError('forbidden', `Sub-users cannot ${what}; ask the account owner.`);
};
