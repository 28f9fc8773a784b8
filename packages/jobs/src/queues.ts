import { UnrecoverableError, type ConnectionOptions, type JobsOptions } from 'bullmq';
import { JOBS, isJobName, type TJobName, type TJobPayload } from './catalog.ts';

/** One queue per host, so a dead host only stalls its own work. */
export const hostQueueName = (hostId: string) => `host-${hostId}`;
/**
 * Each agent reports progress, results, heartbeats, inventory and metrics on its own host's events queue (the
 * worker consumes all of them): a host's Redis user can then be limited to its two queues' keys.
 */
export const hostEventsQueueName = (hostId: string) => `${hostQueueName(hostId)}-events`;

/** BullMQ connection options from a redis:// URL (options, not a shared client, so processes exit cleanly). */
export const redisConnection = (url: string): ConnectionOptions => {
  const u = new URL(url);
  return {
    host: u.hostname,
    port: Number(u.port || 6379),
    username: u.username ? decodeURIComponent(u.username) : undefined,
    password: u.password ? decodeURIComponent(u.password) : undefined,
    db: u.pathname.length > 1 ? Number(u.pathname.slice(1)) : 0,
    maxRetriesPerRequest: null,
  };
};

/** Add options for a catalog job: its attempts, backoff and bounded history. */
export const jobOptions = (name: TJobName, jobId?: string): JobsOptions => ({
  jobId,
  attempts: JOBS[name].attempts,
  backoff: { type: 'exponential', delay: 1000 },
  removeOnComplete: { age: 24 * 3600, count: 1000 },
  removeOnFail: { age: 7 * 24 * 3600 },
});

/** Validate a consumed job; an unknown name or bad payload is unrecoverable, never retried. */
export const parseJob = <N extends TJobName>(name: string, data: unknown): { name: N; data: TJobPayload<N> } => {
  if (!isJobName(name)) throw new UnrecoverableError(`unknown job ${name}`);
  const r = JOBS[name].schema.safeParse(data);
  if (!r.success) throw new UnrecoverableError(`invalid payload for ${name}: ${r.error.message}`);
  return { name: name as N, data: r.data as TJobPayload<N> };
};

/** Redis pub/sub channel of access changes ({userId, keep}): agents close consoles that lost their right. */
export const accessRevokedChannel = (prefix: string) => `${prefix}:access-revoked`;
