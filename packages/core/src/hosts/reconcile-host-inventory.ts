import type { THostInventoryEvent } from '@berth/contracts';
import type { TDb } from '@berth/db';
import { recordAudit } from '../audit/record-audit.ts';
import { startOperation } from '../operations/start-operation.ts';
import { reportTakenAt } from '../reconcile/report-taken-at.ts';
import { TX_OPTIONS } from '../tx-options.ts';

type TOptions = { db: TDb; event: THostInventoryEvent; now?: Date };

/**
 * Postgres holds each server's power state. When an agent starts (after a host reboot, or a crash), it
 * reports what it finds; every server that should be running but is stopped gets a start operation, which
 * re-applies its limits and filters before it boots. A running or stopped server whose container is gone is
 * marked error for an admin (never silently re-created). Servers busy with an operation, or whose operation
 * ended after the report was taken, are left to it (the next report looks again). Runs at every report
 * (boot and every AGENT_INVENTORY_MS); work is per host, bounded by that host's servers.
 */
export const reconcileHostInventory = async ({ db, event, now = new Date() }: TOptions): Promise<{ started: string[]; lost: string[] }> => {
  const seen = new Map(event.servers.map((s) => [s.serverId, s.state]));
  // An operation that ended after the report was taken may have changed what it saw (hosts keep NTP time).
  const cutoff = reportTakenAt(event, now);
  const owned = await db.server.findMany({
    where: {
      hostId: event.hostId, status: { in: ['running', 'stopped'] },
      operations: { none: { OR: [{ status: { in: ['queued', 'running'] } }, { finishedAt: { gte: cutoff } }, { createdAt: { gte: cutoff } }] } },
    },
    select: { id: true, status: true },
  });
  const started: string[] = [];
  const lost: string[] = [];
  for (const { id, status } of owned) {
    const state = seen.get(id) ?? 'absent';
    if (state === 'running' || (state === 'stopped' && status === 'stopped')) continue;
    await db.$transaction(async (tx) => {
      if (state === 'stopped') {
        // A concurrent user action wins: startOperation refuses a second active operation.
        const op = await startOperation({ tx, principal: null, serverId: id, type: 'start', allowedFrom: ['running'] }).catch(() => null);
        if (op) started.push(id);
      } else {
        await tx.server.update({ where: { id }, data: { status: 'error' } });
        await recordAudit({ tx, principal: null, action: 'server.lost', targetType: 'server', targetId: id, data: { hostId: event.hostId, was: status } });
        lost.push(id);
      }
    }, TX_OPTIONS);
  }
  return { started, lost };
};
