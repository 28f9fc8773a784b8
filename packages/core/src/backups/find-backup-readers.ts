import type { TTx } from '@berth/db';

/** Queued or running operations that read the backup (a restore, a create from it): it must outlive them. */
export const findBackupReaders = async ({ tx, backupIds }: { tx: TTx; backupIds: string[] }): Promise<string[]> => {
  if (!backupIds.length) return [];
  const rows = await tx.$queryRaw<{ id: string }[]>`
    SELECT DISTINCT params->>'backupId' AS id FROM operations
    WHERE status IN ('queued', 'running') AND type IN ('restore', 'create', 'backup_verify') AND params->>'backupId' = ANY(${backupIds})`;
  return rows.map((r) => r.id);
};
