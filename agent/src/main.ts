import { Queue, Worker } from 'bullmq';
import { hostEventsQueueName, hostQueueName, redisConnection } from '@berth/jobs';
import { createLxcDriver } from './driver/lxc/lxc-driver.ts';
import { thawLeftovers } from './driver/lxc/disk-points.ts';
import { AGENT_VERSION, loadAgentEnv } from './env.ts';
import { prepareHost } from './prepare-host.ts';
import { startConsoleServer } from './console/console-server.ts';
import { startMetrics } from './metrics/start-metrics.ts';
import { storagePaths } from './storage/paths.ts';
import { startHeartbeat } from './worker/heartbeat.ts';
import { hostUsage } from './worker/host-usage.ts';
import { ensureTransferCert } from './migrate/transfer-cert.ts';
import { startTransferServer } from './migrate/transfer-server.ts';
import { agentOwner, reportInventory } from './worker/inventory.ts';
import { fileDoneJournal } from './worker/done-journal.ts';
import { processJob } from './worker/process-job.ts';
import { createQueueReporter } from './worker/reporter.ts';
import { createServerLock } from './worker/server-lock.ts';

// The per-host agent: converges the host, then runs this host's queue until SIGINT/SIGTERM.
const env = loadAgentEnv();
await prepareHost({ dataDir: env.BERTH_DATA_DIR, lxcPath: env.BERTH_LXC_PATH });

// Connection options, not shared clients: BullMQ then owns and closes its connections (clean exit).
const connection = redisConnection(env.REDIS_URL);
const prefix = env.BERTH_QUEUE_PREFIX;
// Marks what this agent makes: test stacks share a machine and must never reconcile each other's containers.
const owner = agentOwner(prefix, env.BERTH_HOST_ID);
const driver = createLxcDriver({ dataDir: env.BERTH_DATA_DIR, lxcPath: env.BERTH_LXC_PATH, owner, poolReservePct: env.AGENT_POOL_RESERVE_PCT });
// A VPS this agent froze for a snapshot when it died is thawed before anything else runs.
for (const id of await thawLeftovers(storagePaths(env.BERTH_DATA_DIR))) console.warn(`${id}: thawed (left frozen by an agent that stopped mid-snapshot)`);
const events = new Queue(hostEventsQueueName(env.BERTH_HOST_ID), { connection, prefix });
const reporter = createQueueReporter(events);
const journal = fileDoneJournal(storagePaths(env.BERTH_DATA_DIR).doneJournal);
// A week: a job comes back within minutes if at all. Swept at start and daily, so it never grows with uptime.
const JOURNAL_KEEP_MS = 7 * 24 * 3600_000;
await journal.sweep(JOURNAL_KEEP_MS);
setInterval(() => void journal.sweep(JOURNAL_KEEP_MS).catch((e: Error) => console.warn(`journal sweep: ${e.message}`)), 24 * 3600_000).unref();
const ctx = { driver, reporter, lock: createServerLock(), hostId: env.BERTH_HOST_ID, journal };

const worker = new Worker(hostQueueName(env.BERTH_HOST_ID), (job) => processJob(ctx, job), {
  connection,
  prefix,
  concurrency: env.AGENT_CONCURRENCY,
  // A job whose agent died is handed out again (stalled). Every job is idempotent and a succeeded one is
  // answered from the journal, so an agent restarting a few times in a row must not fail it for good
  // (BullMQ's default gives up after the first stall). Each run is still bounded by the catalog's timeout.
  maxStalledCount: 10,
});
worker.on('failed', (job, err) => console.error(`job ${job?.name} ${job?.id} attempt ${job?.attemptsMade}: ${err.message}`));
worker.on('completed', (job, state) => console.log(`job ${job.name} ${job.id} done: ${state}`));
worker.on('error', (err) => console.error('worker error:', err.message));

const consoleServer = await startConsoleServer({
  hostId: env.BERTH_HOST_ID, lxcPath: env.BERTH_LXC_PATH, verifyKey: env.CONSOLE_VERIFY_KEY, listenHost: env.AGENT_CONSOLE_HOST,
  port: env.AGENT_CONSOLE_PORT, publicHost: env.AGENT_CONSOLE_PUBLIC_HOST, redisUrl: env.REDIS_URL, prefix,
  isRunning: async (id) => (await driver.state(id)) === 'running',
});
const inventory = reportInventory({ driver, reporter, hostId: env.BERTH_HOST_ID, owner, everyMs: env.AGENT_INVENTORY_MS });
// Other hosts' agents push migrating VPSes here; same key as console tickets, separate claims.
const transferServer = await startTransferServer({
  hostId: env.BERTH_HOST_ID, dataDir: env.BERTH_DATA_DIR, verifyKey: env.CONSOLE_VERIFY_KEY, driver, lock: ctx.lock,
  cert: await ensureTransferCert(env.BERTH_DATA_DIR, env.BERTH_HOST_ID),
  listenHost: env.AGENT_TRANSFER_HOST ?? env.AGENT_CONSOLE_HOST, port: env.AGENT_TRANSFER_PORT,
  publicHost: env.AGENT_TRANSFER_PUBLIC_HOST ?? env.AGENT_CONSOLE_PUBLIC_HOST,
});
const stopHeartbeat = startHeartbeat({
  driver, reporter, hostId: env.BERTH_HOST_ID, version: AGENT_VERSION, everyMs: env.AGENT_HEARTBEAT_MS, consoleUrl: consoleServer.url,
  transfer: { url: transferServer.url, certPem: transferServer.certPem },
  usage: () => hostUsage(storagePaths(env.BERTH_DATA_DIR).pool), installId: env.BERTH_INSTALL_ID,
});
const stopMetrics = startMetrics({ reporter, hostId: env.BERTH_HOST_ID, everyMs: env.AGENT_METRICS_MS, mountpoint: storagePaths(env.BERTH_DATA_DIR).mountpoint });
console.log(`berth agent ${AGENT_VERSION} on ${hostQueueName(env.BERTH_HOST_ID)} (prefix ${prefix}, concurrency ${env.AGENT_CONCURRENCY})`);

// Close lets running jobs finish (they are bounded) so no VPS is left half-made; a second signal forces exit.
let closing = false;
const shutdown = async (signal: string) => {
  if (closing) process.exit(1);
  closing = true;
  console.log(`${signal}: finishing running jobs, then exiting`);
  inventory.stop();
  await stopHeartbeat();
  await stopMetrics();
  await consoleServer.close();
  await transferServer.close();
  await worker.close();
  await events.close();
  console.log('agent stopped');
};
for (const s of ['SIGINT', 'SIGTERM'] as const) process.on(s, () => void shutdown(s));
