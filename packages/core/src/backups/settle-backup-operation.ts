import type { TOperationFinishedEvent } from '@berth/contracts';
import type { Operation, TTx } from '@berth/db';
import { applyRetention } from './apply-retention.ts';
import { markBackupCorrupt } from './mark-backup-corrupt.ts';

type TOptions = { tx: TTx; op: Operation; event: TOperationFinishedEvent; serverId: string };

const big = (v: string | number | undefined) => (typeof v === 'number' && Number.isFinite(v) ? BigInt(Math.round(v)) : null);

/**
 * What the end of a snapshot, backup or rescue operation means for their rows, in applyFinished's transaction:
 * a snapshot ready (or failed), a backup ready with its digest and sizes (or failed; a scheduled one's retention
 * applied), a server in or out of rescue, a backup a restore or a verify found corrupt (and those built on it)
 * out of use, a verified one stamped.
 */
export const settleBackupOperation = async ({ tx, op, event, serverId }: TOptions) => {
  const ok = event.outcome === 'succeeded';
  const params = (op.params ?? {}) as { snapshotId?: string; backupId?: string };
  const r = event.result ?? {};
  switch (op.type) {
    case 'snapshot':
      await tx.snapshot.updateMany({ where: { id: params.snapshotId, status: 'creating' }, data: ok ? { status: 'ready', sizeBytes: big(r.sizeBytes) } : { status: 'failed' } });
      return;
    case 'snapshot_delete':
      await tx.snapshot.updateMany({ where: { id: params.snapshotId, status: 'deleting' }, data: ok ? { status: 'deleted', deletedAt: new Date() } : { status: 'ready' } });
      return;
    case 'backup': {
      const manifest = typeof r.manifestSha256 === 'string' && /^[0-9a-f]{64}$/.test(r.manifestSha256) ? r.manifestSha256 : null;
      if (ok && manifest) {
        // The agent writes a full when the parent it was given could not be used.
        const full = r.kind === 'full';
        const own = await tx.backup.findUniqueOrThrow({ where: { id: params.backupId }, select: { parentId: true } });
        // Built on a parent a restore found corrupt while this one was being written: it shares those chunks.
        const parent = !full && own.parentId ? await tx.backup.findUnique({ where: { id: own.parentId }, select: { status: true, error: true } }) : null;
        const tainted = parent?.status === 'failed' && parent.error?.startsWith('corrupt:');
        const b = await tx.backup.update({
          where: { id: params.backupId },
          data: {
            status: tainted ? 'failed' : 'ready', manifestSha256: manifest, finishedAt: new Date(),
            error: tainted ? `corrupt: built on backup ${own.parentId}, which a restore or verify found corrupt` : null,
            diskBytes: big(r.diskBytes), dataBytes: big(r.dataBytes), storedBytes: big(r.storedBytes),
            ...(full ? { kind: 'full', parentId: null } : {}),
          },
        });
        if (b.trigger === 'schedule' && !tainted) await applyRetention({ tx, serverId });
      } else {
        await tx.backup.updateMany({ where: { id: params.backupId }, data: { status: 'failed', finishedAt: new Date(), error: event.error ?? 'the agent reported no backup digest' } });
      }
      return;
    }
    case 'backup_verify':
      if (!params.backupId) return;
      if (ok) await tx.backup.updateMany({ where: { id: params.backupId, status: 'ready' }, data: { verifiedAt: new Date() } });
      else await markBackupCorrupt({ tx, restoredId: params.backupId, error: event.error });
      return;
    case 'restore':
    case 'create':
      if (!ok && params.backupId) await markBackupCorrupt({ tx, restoredId: params.backupId, error: event.error });
      return;
    case 'rescue':
      if (ok) await tx.server.update({ where: { id: serverId }, data: { rescueAt: new Date() } });
      return;
    case 'unrescue':
      if (ok) await tx.server.update({ where: { id: serverId }, data: { rescueAt: null } });
      return;
    default:
  }
};
