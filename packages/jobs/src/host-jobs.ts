import { Queue, type ConnectionOptions } from 'bullmq';
import { hostQueueName } from './queues.ts';

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

/** THostJobs on BullMQ: one Queue per host, opened on first use (for the worker and the panel). */
export const createHostJobs = (connection: ConnectionOptions, prefix: string): THostJobs & { close: () => Promise<void> } => {
  const queues = new Map<string, Queue>();
  const queueFor = (hostId: string) => {
    let q = queues.get(hostId);
    if (!q) {
      q = new Queue(hostQueueName(hostId), { connection, prefix });
      queues.set(hostId, q);
    }
    return q;
  };
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
    close: async () => {
      await Promise.all([...queues.values()].map((q) => q.close()));
    },
  };
};
