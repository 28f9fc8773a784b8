import { newId } from '@berth/contracts';
import type { TTx } from '@berth/db';
import type { TPrincipal } from '../auth/principal.ts';

type TOptions = {
  tx: TTx;
  principal: TPrincipal | null;
  action: string;
  targetType: string;
  targetId: string;
  data?: Record<string, unknown>;
  /** The tenant the target belongs to, when not the actor's own (a reseller or admin acting for a customer). */
  tenantId?: string;
};

/** Append an audit event inside the caller's transaction, so the record and the change land together. */
export const recordAudit = async ({ tx, principal, action, targetType, targetId, data, tenantId }: TOptions): Promise<void> => {
  await tx.auditEvent.create({
    data: {
      id: newId('auditEvent'),
      actorId: principal?.userId ?? null,
      tenantId: tenantId ?? principal?.tenantId ?? null,
      action, targetType, targetId,
      data: (data ?? undefined) as object | undefined,
      apiKeyId: principal?.apiKeyId ?? null,
      ip: principal?.request?.ip ?? null,
      requestId: principal?.request?.requestId ?? null,
    },
  });
};
