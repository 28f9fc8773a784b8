import type { TAuditEvent, TListAuditEventsQuery } from '@berth/contracts';
import type { AuditEvent, TDb } from '@berth/db';
import { requireScope, type TPrincipal } from '../auth/principal.ts';
import { keyset } from '../pagination/keyset.ts';

type TOptions = { db: TDb; principal: TPrincipal; query: TListAuditEventsQuery };

const toDto = (e: AuditEvent): TAuditEvent => ({
  id: e.id, actorId: e.actorId, tenantId: e.tenantId, action: e.action, targetType: e.targetType, targetId: e.targetId,
  data: e.data ?? null, apiKeyId: e.apiKeyId, ip: e.ip, requestId: e.requestId, createdAt: e.createdAt.toISOString(),
});

/** Audit events of the tenants the caller may see (admins: all, including the platform's own). */
export const listAuditEvents = async ({ db, principal, query }: TOptions) => {
  requireScope(principal, 'account:read');
  const k = keyset(query.cursor, query.limit);
  const tenants = principal.role === 'admin' ? null
    : principal.role === 'reseller'
      ? (await db.tenant.findMany({ where: { OR: [{ id: principal.tenantId }, { parentId: principal.tenantId }] }, select: { id: true } })).map((t) => t.id)
      : [principal.tenantId];
  const rows = await db.auditEvent.findMany({
    where: {
      AND: [
        tenants ? { tenantId: { in: tenants } } : {},
        principal.subUser ? { actorId: principal.userId } : {}, // a sub-user sees its own actions
        query.tenantId ? { tenantId: query.tenantId } : {},
        query.targetId ? { targetId: query.targetId } : {},
        query.action ? { action: query.action } : {},
        query.requestId ? { requestId: query.requestId } : {},
        k.where,
      ],
    },
    orderBy: k.orderBy, take: k.take,
  });
  return k.page(rows, toDto);
};
