import type { ConnectionOptions } from 'bullmq';
import { createHostQueueCache, type THostQueueCache } from './host-queue-cache.ts';

/** Where a job stands on its host queue; 'absent' = no such job (never added, removed, or its history expired). */
export type THostJobState = 'waiting' | 'delayed' | 'active' | 'completed' | 'failed' | 'absent';

/** Looks at and removes jobs on host queues (cancel, stuck-operation recovery); injected into core verbs. */
export type THostJobs = {
  state(hostId: string, jobId: string): Promise<THostJobState>;
  /** 'locked': an agent is running it right now (its lock is alive), so it cannot be taken back. */
  remove(hostId: string, jobId: string): Promise<'removed' | 'absent' | 'locked'>;
};

const STATES: Record<string, THostJobState> = {
  waiting: 'waiting', prioritized: 'waiting', 'waiting-children': 'waiting', delayed: 'delayed', active: 'active', completed: 'completed', failed: 'failed',
};

/** THostJobs on BullMQ (for the worker and the panel); `queues` may be shared with the publisher's. */
export const createHostJobs = (
  connection: ConnectionOptions, prefix: string, queues: THostQueueCache = createHostQueueCache(connection, prefix),
): THostJobs & { close: () => Promise<void> } => {
  const { queueFor } = queues;
  return {
    async state(hostId, jobId) {
      return STATES[await queueFor(hostId).getJobState(jobId)] ?? 'absent';
    },
    async remove(hostId, jobId) {
      const q = queueFor(hostId);
      if ((STATES[await q.getJobState(jobId)] ?? 'absent') === 'absent') return 'absent';
      // BullMQ removes nothing (0) while the job's lock is held: a live agent works on it, that is our answer.
      if ((await q.remove(jobId)) === 1) return 'removed';
      return (STATES[await q.getJobState(jobId)] ?? 'absent') === 'absent' ? 'absent' : 'locked';
    },
    close: queues.close,
  };
};
