import type { TDb, TTx } from '@berth/db';
import { recordAudit } from '../audit/record-audit.ts';
import { TX_OPTIONS } from '../tx-options.ts';

/** When a server is deleted (in that transaction): its backups are kept `keepDays` more, then deleted; its schedule stops. */
export const markBackupsExpiring = async ({ tx, serverId, keepDays, now = new Date() }: { tx: TTx; serverId: string; keepDays: number; now?: Date }) => {
  const expiresAt = new Date(now.getTime() + keepDays * 86_400_000);
  await tx.backup.updateMany({ where: { serverId, status: { in: ['queued', 'running', 'ready', 'failed'] }, expiresAt: null }, data: { expiresAt } });
  await tx.backupSchedule.updateMany({ where: { serverId }, data: { enabled: false, nextRunAt: null, verifyNextAt: null } });
  await tx.snapshot.updateMany({ where: { serverId, status: { not: 'deleted' } }, data: { status: 'deleted', deletedAt: now } });
};

/** Backups whose retention after their server's deletion is over go to the deletion outbox (audited per server). Returns how many. */
export const expireBackups = async ({ db, now = new Date(), limit = 500 }: { db: TDb; now?: Date; limit?: number }): Promise<number> =>
  db.$transaction(async (tx) => {
    // Locked first, skipping rows a reader share-locked (its operation is being written): they wait a tick.
    const locked = await tx.$queryRaw<{ id: string }[]>`
      SELECT id FROM backups WHERE expires_at <= ${now} AND status IN ('ready', 'failed') ORDER BY expires_at LIMIT ${limit} FOR UPDATE SKIP LOCKED`;
    if (!locked.length) return 0;
    // A new statement, so it sees readers committed meanwhile: a backup a restore (or a create from it) still
    // reads, and every backup it builds on, expire once that is over.
    const rows = await tx.$queryRaw<{ id: string; server_id: string; tenant_id: string }[]>`
      WITH RECURSIVE kept AS (
        SELECT o.params->>'backupId' AS id FROM operations o
        WHERE o.status IN ('queued', 'running') AND o.type IN ('restore', 'create', 'backup_verify') AND o.params->>'backupId' IS NOT NULL
        UNION SELECT b.parent_id FROM backups b JOIN kept ON b.id = kept.id WHERE b.parent_id IS NOT NULL
      )
      UPDATE backups SET status = 'deleting', delete_dispatched_at = NULL
      WHERE id = ANY(${locked.map((r) => r.id)}) AND id NOT IN (SELECT id FROM kept)
      RETURNING id, server_id, tenant_id`;
    const byServer = new Map<string, typeof rows>();
    for (const r of rows) byServer.set(r.server_id, [...(byServer.get(r.server_id) ?? []), r]);
    for (const [serverId, list] of byServer) {
      await recordAudit({ tx, principal: null, action: 'backup.expire', targetType: 'server', targetId: serverId, tenantId: list[0]!.tenant_id, data: { backupIds: list.map((r) => r.id) } });
    }
    return rows.length;
  }, TX_OPTIONS);
