import type { THostInventoryEvent } from '@berth/contracts';
import type { TDb } from '@berth/db';
import { recordAudit } from '../audit/record-audit.ts';
import { startOperation } from '../operations/start-operation.ts';
import { TX_OPTIONS } from '../tx-options.ts';

type TOptions = { db: TDb; event: THostInventoryEvent };

/**
 * Postgres holds each server's power state. When an agent starts (after a host reboot, or a crash), it
 * reports what it finds; every server that should be running but is stopped gets a start operation, which
 * re-applies its limits and filters before it boots. A running server whose container is gone is marked
 * error for an admin (never silently re-created: its disk is gone too). Servers busy with an operation are
 * left to it. Work is per host, bounded by that host's servers.
 */
export const reconcileHostInventory = async ({ db, event }: TOptions): Promise<{ started: string[]; lost: string[] }> => {
  const seen = new Map(event.servers.map((s) => [s.serverId, s.state]));
  const shouldRun = await db.server.findMany({
    where: { hostId: event.hostId, status: 'running', operations: { none: { status: { in: ['queued', 'running'] } } } },
    select: { id: true },
  });
  const started: string[] = [];
  const lost: string[] = [];
  for (const { id } of shouldRun) {
    const state = seen.get(id) ?? 'absent';
    if (state === 'running') continue;
    await db.$transaction(async (tx) => {
      if (state === 'stopped') {
        // A concurrent user action wins: startOperation refuses a second active operation.
        const op = await startOperation({ tx, principal: null, serverId: id, type: 'start', allowedFrom: ['running'] }).catch(() => null);
        if (op) started.push(id);
      } else {
        await tx.server.update({ where: { id }, data: { status: 'error' } });
        await recordAudit({ tx, principal: null, action: 'server.lost', targetType: 'server', targetId: id, data: { hostId: event.hostId } });
        lost.push(id);
      }
    }, TX_OPTIONS);
  }
  return { started, lost };
};
