import { z } from 'zod';
import { ZId } from './ids.ts';
import { ZHostname } from './servers.ts';

/** A server's snapshot: a copy-on-write point of its disk on its host (crash-consistent: taken frozen). */
export const ZSnapshot = z.object({
  id: ZId('snapshot'),
  serverId: ZId('server'),
  name: z.string(),
  status: z.enum(['creating', 'ready', 'deleting', 'deleted', 'failed']),
  /** Bytes in use on the disk when it was taken (what a rollback brings back); null until ready. */
  sizeBytes: z.number().int().nullable(),
  createdAt: z.string(),
});
export type TSnapshot = z.infer<typeof ZSnapshot>;

export const ZSnapshotName = z.string().trim().min(1).max(60).regex(/^[\w .:-]+$/, 'letters, digits, spaces and . _ : -');
export const ZCreateSnapshotRequest = z.object({ name: ZSnapshotName });
export type TCreateSnapshotRequest = z.infer<typeof ZCreateSnapshotRequest>;

/** Where backups are written: a directory (local, or an NFS mount several hosts share). S3 is a later kind. */
export const ZBackupTargetSpec = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('dir'), path: z.string().regex(/^\/[A-Za-z0-9._/-]{1,250}$/, 'an absolute path').refine((p) => !p.split('/').includes('..'), 'no ..') }),
]);
export type TBackupTargetSpec = z.infer<typeof ZBackupTargetSpec>;

export const ZBackupTarget = z.object({
  id: ZId('backupTarget'),
  name: z.string(),
  spec: ZBackupTargetSpec,
  /** Hosts that write their servers' backups here (and may restore any backup stored here). */
  hostIds: z.array(ZId('host')),
  createdAt: z.string(),
});
export type TBackupTarget = z.infer<typeof ZBackupTarget>;
export const ZCreateBackupTargetRequest = z.object({ name: z.string().trim().min(1).max(60), spec: ZBackupTargetSpec });
export const ZAttachBackupTargetRequest = z.object({ hostId: ZId('host') });

export const BACKUP_STATUSES = ['queued', 'running', 'ready', 'failed', 'deleting', 'deleted'] as const;
export const ZBackup = z.object({
  id: ZId('backup'),
  serverId: ZId('server'),
  /** What it is a backup of, as it was: a restore to a new server starts from these. */
  hostname: z.string(),
  planId: ZId('plan'),
  kind: z.enum(['full', 'incremental']),
  /** The backup an incremental builds on (kept as long as this one is). */
  parentId: ZId('backup').nullable(),
  trigger: z.enum(['manual', 'schedule']),
  status: z.enum(BACKUP_STATUSES),
  /** Disk size, data on it, and bytes this backup added to the target (compressed, changed chunks only). */
  diskBytes: z.number().int().nullable(),
  dataBytes: z.number().int().nullable(),
  storedBytes: z.number().int().nullable(),
  error: z.string().nullable(),
  createdAt: z.string(),
  finishedAt: z.string().nullable(),
  /** Set when its server was deleted: kept until then for a restore to a new server. */
  expiresAt: z.string().nullable(),
  /** When it was last read back from its target with every chunk matching its checksum (POST /backups/{id}/verify). */
  verifiedAt: z.string().nullable(),
});
export type TBackup = z.infer<typeof ZBackup>;

export const ZCreateBackupRequest = z.object({
  /** incremental stores only what changed since the server's last backup (a full when there is none). */
  kind: z.enum(['full', 'incremental']).default('incremental'),
});
export type TCreateBackupRequest = z.infer<typeof ZCreateBackupRequest>;

export const ZListBackupsQuery = z.object({
  serverId: ZId('server').optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().min(1).max(200).optional(),
  /** Include deleted ones (default: only what exists or is being made). */
  includeDeleted: z.stringbool().optional(),
});
export type TListBackupsQuery = z.infer<typeof ZListBackupsQuery>;

/**
 * POST /backups/{id}/servers: a new server from a backup (its files, SSH host keys and root access; a new
 * address), on any host that reaches the backup's target. Plan and name default to the backed-up server's.
 */
export const ZRestoreToNewServerRequest = z.object({
  hostname: ZHostname.optional(),
  planId: ZId('plan').optional(),
  /** Admins: place it on this host (it must reach the backup's target). */
  hostId: ZId('host').optional(),
});
export type TRestoreToNewServerRequest = z.infer<typeof ZRestoreToNewServerRequest>;

/** Daily backups at hourUtc; retention keeps the newest of each of the last keepDaily days and keepWeekly ISO weeks. */
export const ZBackupSchedule = z.object({
  serverId: ZId('server'),
  enabled: z.boolean(),
  hourUtc: z.number().int().min(0).max(23),
  keepDaily: z.number().int().min(0).max(60),
  keepWeekly: z.number().int().min(0).max(52),
  /** A full backup after this many incrementals in a row. */
  fullEvery: z.number().int().min(1).max(60),
  nextRunAt: z.string().nullable(),
  lastRunAt: z.string().nullable(),
  /** When the newest backup is next read back and checked (every few days while the schedule is on). */
  nextVerifyAt: z.string().nullable(),
});
export type TBackupSchedule = z.infer<typeof ZBackupSchedule>;
export const ZPutBackupScheduleRequest = z.object({
  enabled: z.boolean(),
  hourUtc: z.number().int().min(0).max(23).default(3),
  keepDaily: z.number().int().min(0).max(60).default(7),
  keepWeekly: z.number().int().min(0).max(52).default(4),
  fullEvery: z.number().int().min(1).max(60).default(7),
}).refine((v) => !v.enabled || v.keepDaily + v.keepWeekly > 0, { message: 'keep at least one backup (keepDaily or keepWeekly)', path: ['keepDaily'] });
export type TPutBackupScheduleRequest = z.infer<typeof ZPutBackupScheduleRequest>;

/** GET /servers/{id}/rescue state is on the server; POST /servers/{id}/rescue {enabled}. */
export const ZRescueRequest = z.object({ enabled: z.boolean() });
export type TRescueRequest = z.infer<typeof ZRescueRequest>;
