import type { TQuarantineFinishedEvent } from '@berth/contracts';
import type { TDb } from '@berth/db';
import { recordAudit } from '../audit/record-audit.ts';

type TOptions = { db: TDb; event: TQuarantineFinishedEvent; purgeAfterHours: number; now?: Date };

/**
 * Apply an agent's report of a quarantine or a purge. Idempotent: only a row still waiting for that very
 * report changes, and only from the host it was sent to. A copy set aside is kept `purgeAfterHours`.
 */
export const applyQuarantineFinished = async ({ db, event, purgeAfterHours, now = new Date() }: TOptions): Promise<void> => {
  const from = event.action === 'quarantine' ? 'pending' : 'purging';
  const where = { id: event.quarantineId, hostId: event.hostId, serverId: event.serverId, status: from } as const;
  const data = event.outcome === 'failed' ? { status: 'failed' as const, error: event.error }
    : event.action === 'purge' ? { status: 'purged' as const, purgedAt: now }
      : event.moved.length === 0 ? { status: 'gone' as const }
        : { status: 'quarantined' as const, location: event.location, quarantinedAt: now, purgeAfter: new Date(now.getTime() + purgeAfterHours * 3_600_000) };
  await db.$transaction(async (tx) => {
    const { count } = await tx.quarantinedContainer.updateMany({ where, data });
    if (!count) return;
    await recordAudit({
      tx, principal: null, action: `reconcile.${event.action === 'purge' ? 'purge' : 'quarantine'}.${event.outcome}`, targetType: 'server', targetId: event.serverId,
      data: { hostId: event.hostId, quarantineId: event.quarantineId, location: event.location, moved: event.moved, error: event.error },
    });
  });
};
