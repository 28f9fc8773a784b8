import { createHostJobs, redisConnection, type THostJobs } from '@berth/jobs';
import { panel } from './context.ts';

const g = globalThis as unknown as { __berthHostJobs?: THostJobs };

/** Jobs on host queues (an admin cancelling a queued operation takes its job back); one set of queues per process. */
export const hostJobs = (): THostJobs => {
  const { env } = panel();
  g.__berthHostJobs ??= createHostJobs(redisConnection(env.REDIS_URL), env.BERTH_QUEUE_PREFIX);
  return g.__berthHostJobs;
};
