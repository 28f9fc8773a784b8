import type { TDb, TTx } from '@berth/db';
import { recordAudit } from '../audit/record-audit.ts';
import { TX_OPTIONS } from '../tx-options.ts';

/** When a server is deleted (in that transaction): its backups are kept `keepDays` more, then deleted; its schedule stops. */
export const markBackupsExpiring = async ({ tx, serverId, keepDays, now = new Date() }: { tx: TTx; serverId: string; keepDays: number; now?: Date }) => {
  const expiresAt = new Date(now.getTime() + keepDays * 86_400_000);
  await tx.backup.updateMany({ where: { serverId, status: { in: ['queued', 'running', 'ready', 'failed'] }, expiresAt: null }, data: { expiresAt } });
  await tx.backupSchedule.updateMany({ where: { serverId }, data: { enabled: false, nextRunAt: null } });
  await tx.snapshot.updateMany({ where: { serverId, status: { not: 'deleted' } }, data: { status: 'deleted', deletedAt: now } });
};

/** Backups whose retention after their server's deletion is over go to the deletion outbox (audited per server). Returns how many. */
export const expireBackups = async ({ db, now = new Date(), limit = 500 }: { db: TDb; now?: Date; limit?: number }): Promise<number> =>
  db.$transaction(async (tx) => {
    const rows = await tx.$queryRaw<{ id: string; server_id: string; tenant_id: string }[]>`
    UPDATE backups SET status = 'deleting', delete_dispatched_at = NULL
    WHERE id IN (
      SELECT b.id FROM backups b WHERE b.expires_at <= ${now} AND b.status IN ('ready', 'failed')
        -- not while a restore from it (a create of a new server) still reads it: it expires when that is over
        AND NOT EXISTS (SELECT 1 FROM operations o WHERE o.status IN ('queued', 'running') AND o.type IN ('restore', 'create') AND o.params->>'backupId' = b.id)
      -- SKIP LOCKED: a reader share-locks the row before writing its operation, which this check could not see yet
      ORDER BY b.expires_at LIMIT ${limit} FOR UPDATE SKIP LOCKED)
    RETURNING id, server_id, tenant_id`;
    const byServer = new Map<string, typeof rows>();
    for (const r of rows) byServer.set(r.server_id, [...(byServer.get(r.server_id) ?? []), r]);
    for (const [serverId, list] of byServer) {
      await recordAudit({ tx, principal: null, action: 'backup.expire', targetType: 'server', targetId: serverId, tenantId: list[0]!.tenant_id, data: { backupIds: list.map((r) => r.id) } });
    }
    return rows.length;
  }, TX_OPTIONS);
