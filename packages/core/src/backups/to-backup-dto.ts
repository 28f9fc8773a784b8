import { ZBackupTargetSpec, type TBackup, type TBackupSchedule, type TBackupTarget, type TBackupTargetSpec, type TSnapshot } from '@berth/contracts';
import type { Backup, BackupSchedule, BackupTarget, Snapshot } from '@berth/db';
import { JobBuildError } from '../migration/migration-target.ts';

const iso = (d: Date | null) => (d ? d.toISOString() : null);
const num = (n: bigint | null) => (n === null ? null : Number(n));

export const toSnapshotDto = (s: Snapshot): TSnapshot => ({
  id: s.id, serverId: s.serverId, name: s.name, status: s.status, sizeBytes: num(s.sizeBytes), createdAt: s.createdAt.toISOString(),
});

export const toBackupDto = (b: Backup): TBackup => ({
  id: b.id, serverId: b.serverId, hostname: b.hostname, planId: b.planId, kind: b.kind, parentId: b.parentId,
  trigger: b.trigger === 'schedule' ? 'schedule' : 'manual', status: b.status,
  diskBytes: num(b.diskBytes), dataBytes: num(b.dataBytes), storedBytes: num(b.storedBytes), error: b.error,
  createdAt: b.createdAt.toISOString(), finishedAt: iso(b.finishedAt), expiresAt: iso(b.expiresAt), verifiedAt: iso(b.verifiedAt),
});

export const toScheduleDto = (serverId: string, s: BackupSchedule | null): TBackupSchedule => ({
  serverId,
  enabled: s?.enabled ?? false,
  hourUtc: s?.hourUtc ?? 3,
  keepDaily: s?.keepDaily ?? 7,
  keepWeekly: s?.keepWeekly ?? 4,
  fullEvery: s?.fullEvery ?? 7,
  nextRunAt: iso(s?.enabled ? s.nextRunAt : null),
  lastRunAt: iso(s?.lastRunAt ?? null),
  nextVerifyAt: iso(s?.enabled ? s.verifyNextAt : null),
});

/** The target's spec as the agent needs it (its kind + that kind's config, checked: a new kind is one more schema branch). */
export const targetSpec = (t: Pick<BackupTarget, 'kind' | 'config'>): TBackupTargetSpec => {
  const spec = ZBackupTargetSpec.safeParse({ ...(t.config as Record<string, unknown>), kind: t.kind });
  // Only a hand-edited row gets here (the API and the seed check the same schema): this job cannot be built.
  if (!spec.success) throw new JobBuildError(`backup target of kind ${t.kind} has a config that does not parse: ${spec.error.message.slice(0, 300)}`);
  return spec.data;
};

export const toBackupTargetDto = (t: BackupTarget & { hosts: { id: string }[] }): TBackupTarget => ({
  id: t.id, name: t.name, spec: targetSpec(t), hostIds: t.hosts.map((h) => h.id), createdAt: t.createdAt.toISOString(),
});
