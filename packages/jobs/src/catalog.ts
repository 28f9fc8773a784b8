import { z } from 'zod';
import {
  ZServerJob,
  ZOperationProgressEvent,
  ZOperationFinishedEvent,
  ZHostHeartbeatEvent,
  ZHostInventoryEvent,
  ZHostMetricsEvent,
  ZQuarantineJob,
  ZPurgeQuarantineJob,
  ZQuarantineFinishedEvent,
  ZBackupDeleteJob,
  ZBackupDeletedEvent,
  type TOperationType,
} from '@berth/contracts';

type TJobDef = { schema: z.ZodType; attempts: number; timeoutMs: number };

/**
 * Every job name is `name@version`. A payload change is additive; anything else is a new version and
 * consumers keep handling the old one until its queue drains.
 */
export const JOBS = {
  // panel/worker -> agent, on queue host-<hostId>
  'server.create@1': { schema: ZServerJob, attempts: 3, timeoutMs: 10 * 60_000 },
  'server.start@1': { schema: ZServerJob, attempts: 3, timeoutMs: 3 * 60_000 },
  'server.stop@1': { schema: ZServerJob, attempts: 3, timeoutMs: 3 * 60_000 },
  'server.restart@1': { schema: ZServerJob, attempts: 3, timeoutMs: 3 * 60_000 },
  'server.destroy@1': { schema: ZServerJob, attempts: 5, timeoutMs: 3 * 60_000 },
  'server.resize@1': { schema: ZServerJob, attempts: 3, timeoutMs: 3 * 60_000 },
  'server.reinstall@1': { schema: ZServerJob, attempts: 3, timeoutMs: 10 * 60_000 },
  'server.network@1': { schema: ZServerJob, attempts: 5, timeoutMs: 60_000 },
  // On the source host's queue; a retry resumes the transfer where it stopped.
  'server.migrate@1': { schema: ZServerJob, attempts: 3, timeoutMs: 60 * 60_000 },
  // Snapshots are reflinks on the host's pool; backups and restores stream the disk to/from a backup target.
  'server.snapshot@1': { schema: ZServerJob, attempts: 3, timeoutMs: 5 * 60_000 },
  'snapshot.restore@1': { schema: ZServerJob, attempts: 3, timeoutMs: 10 * 60_000 },
  'snapshot.delete@1': { schema: ZServerJob, attempts: 5, timeoutMs: 60_000 },
  'server.backup@1': { schema: ZServerJob, attempts: 3, timeoutMs: 120 * 60_000 },
  'server.restore@1': { schema: ZServerJob, attempts: 3, timeoutMs: 120 * 60_000 },
  'server.rescue@1': { schema: ZServerJob, attempts: 3, timeoutMs: 10 * 60_000 },
  'server.unrescue@1': { schema: ZServerJob, attempts: 3, timeoutMs: 10 * 60_000 },
  'backup.verify@1': { schema: ZServerJob, attempts: 3, timeoutMs: 120 * 60_000 },
  // Retention and expiry (jobId = the backup id; no operation): on any host that reaches the target.
  'backup.delete@1': { schema: ZBackupDeleteJob, attempts: 5, timeoutMs: 10 * 60_000 },
  // Reconciliation (jobId = the quarantine row's id; no operation): set an orphan aside, later delete it.
  'server.quarantine@1': { schema: ZQuarantineJob, attempts: 5, timeoutMs: 5 * 60_000 },
  'quarantine.purge@1': { schema: ZPurgeQuarantineJob, attempts: 5, timeoutMs: 5 * 60_000 },
  // agent -> worker, on the host's events queue host-<hostId>-events
  'operation.progress@1': { schema: ZOperationProgressEvent, attempts: 5, timeoutMs: 30_000 },
  'operation.finished@1': { schema: ZOperationFinishedEvent, attempts: 20, timeoutMs: 30_000 },
  'host.heartbeat@1': { schema: ZHostHeartbeatEvent, attempts: 1, timeoutMs: 30_000 },
  'host.inventory@1': { schema: ZHostInventoryEvent, attempts: 20, timeoutMs: 60_000 },
  'host.metrics@1': { schema: ZHostMetricsEvent, attempts: 1, timeoutMs: 60_000 },
  'quarantine.finished@1': { schema: ZQuarantineFinishedEvent, attempts: 20, timeoutMs: 30_000 },
  'backup.deleted@1': { schema: ZBackupDeletedEvent, attempts: 20, timeoutMs: 30_000 },
} as const satisfies Record<string, TJobDef>;

export type TJobName = keyof typeof JOBS;
export type TJobPayload<N extends TJobName> = z.infer<(typeof JOBS)[N]['schema']>;

export const SERVER_JOB_BY_OPERATION: Record<TOperationType, TJobName> = {
  create: 'server.create@1',
  start: 'server.start@1',
  stop: 'server.stop@1',
  restart: 'server.restart@1',
  destroy: 'server.destroy@1',
  resize: 'server.resize@1',
  reinstall: 'server.reinstall@1',
  network: 'server.network@1',
  migrate: 'server.migrate@1',
  snapshot: 'server.snapshot@1',
  snapshot_restore: 'snapshot.restore@1',
  snapshot_delete: 'snapshot.delete@1',
  backup: 'server.backup@1',
  restore: 'server.restore@1',
  rescue: 'server.rescue@1',
  unrescue: 'server.unrescue@1',
  backup_verify: 'backup.verify@1',
};

export const isJobName = (name: string): name is TJobName => Object.hasOwn(JOBS, name);
