import type { TServerJob } from '@berth/contracts';
import type { Operation, TDb, TTx } from '@berth/db';
import { JobBuildError } from '../migration/migration-target.ts';
import { targetSpec } from './to-backup-dto.ts';

type TParts = Pick<TServerJob, 'snapshot' | 'backup' | 'restore'>;

const readyRef = async (db: TDb | TTx, backupId: string) => {
  const b = await db.backup.findUnique({ where: { id: backupId }, include: { target: true } });
  if (!b || b.status !== 'ready' || !b.manifestSha256) throw new JobBuildError(`backup ${backupId} is not ready (${b?.status ?? 'gone'})`);
  return { ref: { backupId: b.id, serverId: b.serverId, manifestSha256: b.manifestSha256 }, target: targetSpec(b.target) };
};

/** The parts of a job that snapshot, backup and restore operations (and a create from a backup) add to the spec. */
export const backupJobParts = async (db: TDb | TTx, op: Operation): Promise<TParts> => {
  const params = (op.params ?? {}) as { snapshotId?: string; backupId?: string };
  switch (op.type) {
    case 'snapshot':
    case 'snapshot_restore':
    case 'snapshot_delete':
      if (!params.snapshotId) throw new JobBuildError(`${op.type} without a snapshot`);
      return { snapshot: { snapshotId: params.snapshotId } };
    case 'backup': {
      const b = await db.backup.findUnique({ where: { id: params.backupId ?? '' }, include: { target: true } });
      if (!b) throw new JobBuildError(`backup ${params.backupId} is gone`);
      const parent = b.parentId ? await db.backup.findUnique({ where: { id: b.parentId } }) : null;
      const usable = parent?.status === 'ready' && parent.manifestSha256;
      return {
        backup: {
          backupId: b.id, kind: usable ? b.kind : 'full', target: targetSpec(b.target),
          parent: usable ? { backupId: parent.id, serverId: parent.serverId, manifestSha256: parent.manifestSha256! } : null,
        },
      };
    }
    case 'restore':
    case 'backup_verify':
    case 'create': {
      if (!params.backupId) return {};
      const { ref, target } = await readyRef(db, params.backupId);
      return { restore: { target, backup: ref } };
    }
    default:
      return {};
  }
};
