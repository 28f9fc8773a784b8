// npx tsx bench/host-queues.ts [--queues 200] [--shared true]
// What consuming one events queue per host costs the worker: N idle BullMQ Workers (one per host's events
// queue), with the non-blocking connection shared (as apps/worker/src/agent-events.ts does) or one each.
// Prints Redis connections and memory, the process's RSS/heap, and one event's round trip while N idle.
import { parseArgs } from 'node:util';
import { randomBytes } from 'node:crypto';
import { Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { loadEnv, ZWorkerEnv } from '@berth/config';
import { hostEventsQueueName, redisConnection } from '@berth/jobs';

const { values } = parseArgs({ options: { queues: { type: 'string', default: '200' }, shared: { type: 'string', default: 'true' } } });
const N = Number(values.queues);
const env = loadEnv(ZWorkerEnv.pick({ REDIS_URL: true }));
const prefix = `b${randomBytes(4).toString('hex')}`;
const connection = redisConnection(env.REDIS_URL);
const admin = new Redis(env.REDIS_URL);
const stat = async () => {
  const clients = Number(/connected_clients:(\d+)/.exec(await admin.info('clients'))![1]);
  const mem = Number(/used_memory:(\d+)/.exec(await admin.info('memory'))![1]);
  const { rss, heapUsed } = process.memoryUsage();
  return { clients, redisMb: mem / 2 ** 20, rssMb: rss / 2 ** 20, heapMb: heapUsed / 2 ** 20 };
};
global.gc?.();
const before = await stat();
const shared = values.shared === 'true' ? new Redis(env.REDIS_URL, { maxRetriesPerRequest: null }) : undefined;
const hostIds = Array.from({ length: N }, (_, i) => `host_bench${String(i).padStart(6, '0')}`);
const seen = new Map<string, () => void>();
const workers = hostIds.map((h) => new Worker(hostEventsQueueName(h), async (job) => seen.get(job.data.id)?.(), { connection: shared ?? connection, prefix, concurrency: 2 }));
await Promise.all(workers.map((w) => w.waitUntilReady()));
await new Promise((r) => setTimeout(r, 3000));
global.gc?.();
const after = await stat();
// Idle cost: BZPOPMIN timeouts (drainDelay) and stalled-job checks of N workers, over 10 s.
const cpu0 = process.cpuUsage();
const redisCpu = async () => Number(/used_cpu_sys:([\d.]+)/.exec(await admin.info('cpu'))![1]) + Number(/used_cpu_user:([\d.]+)/.exec(await admin.info('cpu'))![1]);
const rcpu0 = await redisCpu();
await new Promise((r) => setTimeout(r, 10_000));
const cpu = process.cpuUsage(cpu0);
const idleCpu = `idle CPU: worker ${((cpu.user + cpu.system) / 1e5).toFixed(1)}%, redis ${(((await redisCpu()) - rcpu0) * 10).toFixed(1)}%`;
const q = new Queue(hostEventsQueueName(hostIds[N - 1]!), { connection, prefix });
const rtt: number[] = [];
for (let i = 0; i < 20; i++) {
  const id = String(i);
  const t0 = performance.now();
  await new Promise<void>((resolve) => (seen.set(id, resolve), void q.add('host.heartbeat@1', { id })));
  rtt.push(performance.now() - t0);
}
rtt.sort((a, b) => a - b);
const d = (k: keyof typeof before) => (after[k] - before[k]).toFixed(1);
console.log(`${N} idle workers (${shared ? 'shared' : 'own'} non-blocking connection): +${d('clients')} Redis connections, +${d('redisMb')} MB Redis memory, ` +
  `+${d('rssMb')} MB RSS, +${d('heapMb')} MB heap; ${idleCpu}; event round trip p50 ${rtt[10]!.toFixed(1)} ms, max ${rtt[19]!.toFixed(1)} ms`);
await q.close();
await Promise.all(workers.map((w) => w.close()));
await shared?.quit();
let cursor = '0';
do {
  const [next, keys] = await admin.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
  if (keys.length) await admin.del(...keys);
  cursor = next;
} while (cursor !== '0');
await admin.quit();
