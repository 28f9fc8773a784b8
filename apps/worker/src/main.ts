import { loadEnv, ZWorkerEnv } from '@berth/config';
import { markHostsOffline, rollupMetrics, sweepIdempotencyKeys, sweepSessions } from '@berth/core';
import { createDb } from '@berth/db';
import type { RedisOptions } from 'bullmq';
import { Redis } from 'ioredis';
import { createHostJobs, createHostQueueCache, redisConnection } from '@berth/jobs';
import { createHostQueues } from './host-queues.ts';
import { startOutboxDispatcher } from './outbox.ts';
import { startAgentEventsConsumer } from './agent-events.ts';
import { startWebhookSender } from './webhooks.ts';
import { startAccessRevocationRelay } from './access-revocations.ts';
import { startBillingMeter } from './billing.ts';
import { startHostInstaller } from './host-installs.ts';
import { startReconciler } from './reconcile.ts';
import { startBackupTicker } from './backups.ts';

const env = loadEnv(ZWorkerEnv);
const log = (m: string) => console.log(`[worker] ${m}`);
const db = createDb(env.DATABASE_URL);
const connection = redisConnection(env.REDIS_URL);

// One connection for every host queue the dispatcher publishes to (a thousand hosts, not a thousand sockets).
const publishing = new Redis({ ...(connection as RedisOptions), maxRetriesPerRequest: null });
// One Queue per host, shared by the publisher and the job inspector (cancel, stuck-operation recovery).
const hostQueueCache = createHostQueueCache(publishing, env.BERTH_QUEUE_PREFIX);
const queues = createHostQueues(publishing, env.BERTH_QUEUE_PREFIX, hostQueueCache);
// One BullMQ Worker per host's events queue, the host list re-read every few seconds (see agent-events.ts).
const events = startAgentEventsConsumer({ db, connection, prefix: env.BERTH_QUEUE_PREFIX, log, purgeAfterHours: env.RECONCILE_PURGE_AFTER_HOURS, keepDeletedBackupsDays: env.BACKUP_KEEP_DELETED_DAYS });
// Looks at and takes back jobs on host queues (cancelled or stuck operations).
const hostJobs = createHostJobs(publishing, env.BERTH_QUEUE_PREFIX, hostQueueCache);
const outbox = await startOutboxDispatcher({
  db, databaseUrl: env.DATABASE_URL, publish: queues.publish, sweepMs: env.WORKER_SWEEP_MS, batch: env.WORKER_BATCH,
  signingKey: env.CONSOLE_SIGNING_KEY, jobs: hostJobs, log,
});
// Reconciliation: quarantines and purges go out, stuck operations are failed (or re-sent when their job was lost).
const reconciler = startReconciler({
  db, publish: queues.publishJob, jobs: hostJobs, dispatchMs: env.WORKER_SWEEP_MS, sweepMs: env.RECONCILE_SWEEP_MS,
  stuckAfterMs: env.OPERATION_STUCK_AFTER_MS, log,
});
// Backups: schedules, expiry after a server's deletion, deletions sent to hosts that reach the target.
const backups = startBackupTicker({ db, publish: queues.publishJob, tickMs: env.BACKUP_TICK_MS, verifyEveryDays: env.BACKUP_VERIFY_EVERY_DAYS, log });
// Changes of access reach every agent at once (open web consoles close).
const revocations = await startAccessRevocationRelay({ databaseUrl: env.DATABASE_URL, redisUrl: env.REDIS_URL, prefix: env.BERTH_QUEUE_PREFIX, log });
const webhooks = startWebhookSender({
  db, sessionSecret: env.SESSION_SECRET, pollMs: env.WORKER_WEBHOOK_POLL_MS, allowPrivate: env.WEBHOOK_ALLOW_PRIVATE, log,
});
// Housekeeping: Idempotency-Keys live a day, expired sessions go (bounded batches; several workers may run it harmlessly).
const housekeeping = setInterval(() => {
  sweepIdempotencyKeys({ db }).catch((e: unknown) => log(`idempotency sweep failed: ${String(e)}`));
  sweepSessions({ db }).catch((e: unknown) => log(`session sweep failed: ${String(e)}`));
}, 10 * 60_000);
// Host liveness: a host whose heartbeats stopped goes offline (its agent's next heartbeat brings it back).
const liveness = setInterval(() => {
  markHostsOffline({ db, now: new Date(), offlineAfterMs: env.HOST_OFFLINE_AFTER_MS })
    .then((ids) => ids.forEach((id) => log(`host ${id} is offline: no heartbeat for ${env.HOST_OFFLINE_AFTER_MS} ms`)))
    .catch((e: unknown) => log(`liveness check failed: ${String(e)}`));
}, Math.max(1000, Math.floor(env.HOST_OFFLINE_AFTER_MS / 5)));
// Graph data: roll finished hours up and drop raw samples older than a day.
const metricsRollup = setInterval(() => {
  rollupMetrics({ db }).catch((e: unknown) => log(`metrics rollup failed: ${String(e)}`));
}, 5 * 60_000);
const billing = startBillingMeter({
  db, tickMs: env.BILLING_TICK_MS, dueDays: env.BILLING_DUE_DAYS,
  suspendAfterDays: env.BILLING_SUSPEND_AFTER_DAYS, terminateAfterDays: env.BILLING_TERMINATE_AFTER_DAYS,
  seller: { name: env.BILLING_SELLER_NAME, lines: env.BILLING_SELLER_ADDRESS }, log,
});
// Adding hosts: installs of agents over SSH (creates each host's Redis user with this admin connection).
const installer = await startHostInstaller({
  db, databaseUrl: env.DATABASE_URL, sessionSecret: env.SESSION_SECRET, signingKey: env.CONSOLE_SIGNING_KEY, redis: publishing,
  redisUrl: env.REDIS_URL, agentRedisAddress: env.AGENT_REDIS_ADDRESS, prefix: env.BERTH_QUEUE_PREFIX, templatesDir: env.BERTH_TEMPLATES_DIR,
  heartbeatTimeoutMs: env.HOST_INSTALL_HEARTBEAT_TIMEOUT_MS, agentHeartbeatMs: env.AGENT_HEARTBEAT_MS, log,
});
log('ready: dispatching the outbox, consuming agent events, sending webhooks, metering, installing hosts');

let stopping = false;
const stop = async (signal: string) => {
  if (stopping) return;
  stopping = true;
  log(`${signal}: shutting down`);
  clearInterval(housekeeping);
  clearInterval(metricsRollup);
  clearInterval(liveness);
  reconciler.close();
  backups.close();
  billing.close();
  webhooks.close();
  await installer.close();
  await revocations.close();
  await outbox.close();
  await events.close();
  await hostQueueCache.close();
  await publishing.quit();
  await db.$disconnect();
  process.exit(0);
};
process.on('SIGINT', () => void stop('SIGINT'));
process.on('SIGTERM', () => void stop('SIGTERM'));
