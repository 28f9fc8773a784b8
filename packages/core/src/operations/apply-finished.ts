import { newId, type TOperationFinishedEvent, type TOperationType, type TWebhookEvent } from '@berth/contracts';
import type { TDb } from '@berth/db';
import { recordAudit } from '../audit/record-audit.ts';
import { planDelta } from '../placement/plan-delta.ts';
import { releaseHost } from '../placement/release-host.ts';
import { TX_OPTIONS } from '../tx-options.ts';
import { settleMigration } from '../migration/settle-migration.ts';
import { serverStatusAfter } from './server-status-after.ts';
import { toOperationDto } from '../servers/to-dto.ts';
import { emitEvent } from '../webhooks/emit-event.ts';
import { markBackupsExpiring } from '../backups/expire-backups.ts';
import { settleBackupOperation } from '../backups/settle-backup-operation.ts';

/** `abandoned`: the panel ends it (cancel, or its host went silent), not the agent; a later report is only logged. */
/** `keepDeletedBackupsDays`: how long a deleted server's backups are kept (BACKUP_KEEP_DELETED_DAYS). */
type TOptions = { db: TDb; event: TOperationFinishedEvent; abandoned?: boolean; keepDeletedBackupsDays?: number };

// What a successful operation means for the server, as a webhook event.
const SERVER_EVENT: Partial<Record<TOperationType, TWebhookEvent>> = {
  create: 'server.created', destroy: 'server.deleted', resize: 'server.resized', reinstall: 'server.reinstalled',
  start: 'server.started', restart: 'server.started', stop: 'server.stopped', migrate: 'server.migrated',
};

// Operations that leave the server as it was when they fail before an agent looked (e.g. at dispatch).
const UNCHANGED_IF_NEVER_RAN = new Set<TOperationType>(['migrate', 'snapshot', 'snapshot_delete', 'snapshot_restore', 'backup', 'restore', 'rescue', 'unrescue', 'backup_verify']);

/**
 * Apply an agent's final report: finish the operation and move the server to its new status. Idempotent:
 * a redelivered report for a finished operation changes nothing. A confirmed destroy frees the IP, the
 * uid range and the host capacity in the same transaction.
 */
export const applyFinished = async ({ db, event, abandoned = false, keepDeletedBackupsDays = 30 }: TOptions): Promise<void> => {
  await db.$transaction(async (tx) => {
    const [op] = await tx.$queryRaw<{ id: string; status: string; host_id: string; abandoned_at: Date | null }[]>`
      SELECT id, status, host_id, abandoned_at FROM operations WHERE id = ${event.operationId} FOR UPDATE`;
    // Only the host the operation was sent to reports its end: another host's report is a forgery, dropped.
    if (!op || op.host_id !== event.hostId) return;
    if (op.status === 'succeeded' || op.status === 'failed') {
      // The agent ran an operation the panel had given up on: its server may differ from what the panel shows.
      if (op.abandoned_at && !abandoned) {
        const seen = await tx.auditEvent.count({ where: { action: 'operation.late_result', targetId: op.id, data: { path: ['attempt'], equals: event.attempt } } });
        if (!seen) await recordAudit({ tx, principal: null, action: 'operation.late_result', targetType: 'operation', targetId: op.id, data: { serverId: event.serverId, hostId: event.hostId, outcome: event.outcome, state: event.state, error: event.error, attempt: event.attempt } });
      }
      return;
    }
    const updated = await tx.operation.update({
      where: { id: event.operationId },
      data: {
        status: event.outcome,
        error: event.error,
        progress: event.outcome === 'succeeded' ? 100 : undefined,
        attempts: { set: event.attempt },
        finishedAt: new Date(),
        ...(abandoned ? { abandonedAt: new Date() } : {}),
      },
      include: { server: { include: { plan: true } } },
    });
    const server = updated.server;
    if (!server) return;
    const params = (updated.params ?? {}) as Record<string, string>;
    // Dunning's stop ends in suspended: customers cannot start it until the tenant has paid.
    const suspended = updated.type === 'stop' && params.suspend === 'true' && event.outcome === 'succeeded';
    // A migration that failed before the agent could look (e.g. never dispatched) leaves the server as it was.
    // A suspended server moves stopped and stays suspended (dunning resumes or terminates it later).
    const neverRan = event.outcome === 'failed' && event.state === null && UNCHANGED_IF_NEVER_RAN.has(updated.type);
    // A verify reads only the backup target: whatever the server is (even in error, its container lost), it stays.
    const unchanged = neverRan || updated.type === 'backup_verify' || (updated.type === 'migrate' && server.status === 'suspended');
    const status = suspended ? 'suspended' : unchanged ? server.status : serverStatusAfter(updated.type, event.outcome, event.state);
    // Billing stops at the hour the delete was asked for, not when a (possibly lagging) worker hears of it.
    await tx.server.update({ where: { id: server.id }, data: { status, ...(status === 'deleted' ? { deletedAt: updated.createdAt } : {}) } });
    if (updated.type === 'reinstall' && event.outcome === 'succeeded') {
      await tx.server.update({ where: { id: server.id }, data: { templateId: (updated.params as { templateId: string }).templateId } });
    }
    if (updated.type === 'resize') {
      // The growth was reserved when the resize was queued: kept on success (and the shrink freed), else given back.
      const target = await tx.plan.findUniqueOrThrow({ where: { id: (updated.params as { planId: string }).planId } });
      const { grow, shrink } = planDelta(server.plan, target);
      if (event.outcome === 'succeeded') {
        await tx.server.update({ where: { id: server.id }, data: { planId: target.id } });
        // Billing: hours from when the agent began applying it are priced at the new plan.
        await tx.serverPlanChange.create({ data: { id: newId('planChange'), serverId: server.id, planId: target.id, at: updated.startedAt ?? updated.createdAt } });
      }
      await releaseHost({ tx, hostId: server.hostId, ...(event.outcome === 'succeeded' ? shrink : grow) });
    }
    if (updated.type === 'migrate' && updated.targetHostId) await settleMigration({ tx, server, targetHostId: updated.targetHostId, moved: event.outcome === 'succeeded' });
    // Snapshots are on the source's pool, which the move cleared.
    if (updated.type === 'migrate' && event.outcome === 'succeeded') await tx.snapshot.updateMany({ where: { serverId: server.id, hostId: server.hostId, status: { not: 'deleted' } }, data: { status: 'deleted', deletedAt: new Date() } });
    await settleBackupOperation({ tx, op: updated, event, serverId: server.id });
    await emitEvent({ tx, tenantId: server.tenantId, type: event.outcome === 'succeeded' ? 'operation.succeeded' : 'operation.failed', data: { operation: toOperationDto(updated) } });
    const serverEvent = event.outcome !== 'succeeded' ? undefined
      : suspended ? 'server.suspended' : params.unsuspend === 'true' ? 'server.unsuspended' : SERVER_EVENT[updated.type];
    if (serverEvent) await emitEvent({ tx, tenantId: server.tenantId, type: serverEvent, data: { serverId: server.id, hostname: server.hostname, status } });
    if (status === 'deleted') {
      await markBackupsExpiring({ tx, serverId: server.id, keepDays: keepDeletedBackupsDays });
      await tx.ipAddress.updateMany({ where: { serverId: server.id }, data: { serverId: null, releasedAt: new Date() } });
      await tx.uidRange.deleteMany({ where: { serverId: server.id } });
      const p = server.plan;
      await releaseHost({ tx, hostId: server.hostId, cpuCores: p.cpuCores, memoryMb: p.memoryMb, diskGb: p.diskGb });
    }
  }, TX_OPTIONS);
};
