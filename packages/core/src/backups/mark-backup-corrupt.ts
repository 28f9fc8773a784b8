import type { TTx } from '@berth/db';
import { recordAudit } from '../audit/record-audit.ts';

const CORRUPT = /^backup_corrupt\((bkp_[0-9a-z]{6,40})\):/;

/**
 * A restore (onto a server or into a new one) that found a backup's stored bytes failing their checksum names
 * that backup in its error (`backup_corrupt(<id>): ...`, the agent's restore handler). That backup and every
 * backup built on it (they may share the bad chunk) are failed with the error: no longer offered for restore,
 * and no incremental builds on them (the next one is a full or builds on an older, sound one). Only the backup
 * restored or one of its ancestors can be named. Returns how many were taken out of use.
 */
export const markBackupCorrupt = async ({ tx, restoredId, error }: { tx: TTx; restoredId: string; error: string | null }): Promise<number> => {
  const bad = error ? CORRUPT.exec(error)?.[1] : undefined;
  if (!bad) return 0;
  const chain = await tx.$queryRaw<{ id: string }[]>`
    WITH RECURSIVE up AS (
      SELECT id, parent_id FROM backups WHERE id = ${restoredId}
      UNION SELECT b.id, b.parent_id FROM backups b JOIN up ON b.id = up.parent_id
    ) SELECT id FROM up`;
  if (!chain.some((c) => c.id === bad)) return 0;
  const message = `corrupt: ${error!.replace(CORRUPT, '').trim()}`.slice(0, 2000);
  const failed = await tx.$queryRaw<{ id: string; server_id: string; tenant_id: string }[]>`
    WITH RECURSIVE down AS (
      SELECT id FROM backups WHERE id = ${bad}
      UNION SELECT b.id FROM backups b JOIN down ON b.parent_id = down.id
    ) UPDATE backups SET status = 'failed', error = ${message} WHERE id IN (SELECT id FROM down) AND status = 'ready'
    RETURNING id, server_id, tenant_id`;
  if (failed.length) {
    await recordAudit({ tx, principal: null, action: 'backup.corrupt', targetType: 'server', targetId: failed[0]!.server_id, tenantId: failed[0]!.tenant_id, data: { backupIds: failed.map((f) => f.id), error: message } });
  }
  return failed.length;
};
