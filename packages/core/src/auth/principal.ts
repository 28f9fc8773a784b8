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
export const tenantScope = (p: TPrincipal): { tenantId?: string; tenant?: { OR: object[] } } => {
  if (p.role === 'admin') return {};
  if (p.role === 'reseller') return { tenant: { OR: [{ id: p.tenantId }, { parentId: p.tenantId }] } };
  return { tenantId: p.tenantId };
};
