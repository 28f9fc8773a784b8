import type { Queue } from 'bullmq';
import type { TBackupDeletedEvent, THostHeartbeatEvent, THostInventoryEvent, THostMetricsEvent, TOperationFinishedEvent, TOperationProgressEvent, TQuarantineFinishedEvent } from '@berth/contracts';
import { jobOptions } from '@berth/jobs';

/** Where the agent tells the worker what happened; an array in unit tests. */
export type TReporter = {
  progress(e: TOperationProgressEvent): Promise<void>;
  finished(e: TOperationFinishedEvent): Promise<void>;
  heartbeat(e: THostHeartbeatEvent): Promise<void>;
  inventory(e: THostInventoryEvent): Promise<void>;
  metrics(e: THostMetricsEvent): Promise<void>;
  quarantineFinished(e: TQuarantineFinishedEvent): Promise<void>;
  backupDeleted(e: TBackupDeletedEvent): Promise<void>;
};

/** Reports on `events`: the host's own events queue (hostEventsQueueName), the only one its Redis user may write. */
export const createQueueReporter = (events: Queue): TReporter => ({
  async progress(e) {
    await events.add('operation.progress@1', e, jobOptions('operation.progress@1'));
  },
  async finished(e) {
    // One finished event per attempt: a re-delivered add (same jobId) is deduplicated by BullMQ.
    await events.add('operation.finished@1', e, jobOptions('operation.finished@1', `fin-${e.operationId}-${e.attempt}`));
  },
  async heartbeat(e) {
    await events.add('host.heartbeat@1', e, jobOptions('host.heartbeat@1'));
  },
  async inventory(e) {
    await events.add('host.inventory@1', e, jobOptions('host.inventory@1'));
  },
  async quarantineFinished(e) {
    await events.add('quarantine.finished@1', e, jobOptions('quarantine.finished@1', `qfin-${e.quarantineId}-${e.action}`));
  },
  async backupDeleted(e) {
    await events.add('backup.deleted@1', e, jobOptions('backup.deleted@1', `bdel-${e.backupId}-${e.outcome}`));
  },
  async metrics(e) {
    // Samples are worth little once stale: kept briefly, never retried.
    await events.add('host.metrics@1', e, { ...jobOptions('host.metrics@1'), removeOnComplete: true, removeOnFail: { age: 3600 } });
  },
});
