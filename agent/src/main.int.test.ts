import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Queue, Worker, type Job } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadEnv, ZAgentEnv } from '@berth/config';
import { newId, type TServerJob } from '@berth/contracts';
import { hostEventsQueueName, hostQueueName, jobOptions, redisConnection } from '@berth/jobs';
import { createLxcDriver } from './driver/lxc/lxc-driver.ts';
import { testSpec } from './driver/lxc/test-spec.ts';
import { run, succeeds } from './exec/run.ts';
import { storagePaths } from './storage/paths.ts';

// The whole agent process against a private redis-server: queue in, events out, clean exit on SIGTERM.
const env = loadEnv(ZAgentEnv.pick({ BERTH_DATA_DIR: true, BERTH_LXC_PATH: true }));
const AGENT_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const templateMissing = !existsSync(storagePaths(env.BERTH_DATA_DIR).template('debian-12'));
const redisMissing = !(await succeeds('redis-server', ['--version']));
if (templateMissing || redisMissing) console.warn('SKIP agent main: needs the debian-12 template and redis-server');

const freePort = () =>
  new Promise<number>((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
const waitFor = async <T>(what: string, fn: () => T | undefined, ms = 60_000): Promise<T> => {
  for (const end = Date.now() + ms; Date.now() < end; await new Promise((r) => setTimeout(r, 50))) {
    const v = fn();
    if (v !== undefined) return v;
  }
  throw new Error(`timed out waiting for ${what}`);
};

describe.skipIf(templateMissing || redisMissing)('agent main (real redis, real LXC)', () => {
  const hostId = 'host_maintest01';
  const prefix = `t${Date.now().toString(36)}`;
  let tmp = '';
  let redis: ChildProcess | undefined;
  let agent: ChildProcess | undefined;
  let agentLog = '';
  let connection: ReturnType<typeof redisConnection>;
  let hostQueue: Queue;
  let eventsWorker: Worker;
  const events: Array<{ name: string; data: Record<string, unknown> }> = [];
  const serverId = newId('server');
  const spec = testSpec(251, { serverId, hostname: 'main-test' });
  const payload = (operationId: string): TServerJob => ({ operationId, serverId, spec });
  const finishedOf = (operationId: string) =>
    events.find((e) => e.name === 'operation.finished@1' && e.data.operationId === operationId)?.data;

  beforeAll(async () => {
    tmp = await mkdtemp(path.join(tmpdir(), 'berth-main-test-'));
    const port = await freePort();
    redis = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--dir', tmp], { stdio: 'ignore' });
    for (let i = 0; i < 100 && !(await succeeds('redis-cli', ['-p', String(port), 'ping'])); i++) await new Promise((r) => setTimeout(r, 50));
    connection = redisConnection(`redis://127.0.0.1:${port}`);
    hostQueue = new Queue(hostQueueName(hostId), { connection, prefix });
    // Plays the panel's worker: collects everything the agent reports.
    eventsWorker = new Worker(hostEventsQueueName(hostId), async (job: Job) => void events.push({ name: job.name, data: job.data }), { connection, prefix });
    agent = spawn(path.join(AGENT_DIR, '../node_modules/.bin/tsx'), ['src/main.ts'], {
      cwd: AGENT_DIR,
      env: { ...process.env, REDIS_URL: `redis://127.0.0.1:${port}`, BERTH_HOST_ID: hostId, BERTH_QUEUE_PREFIX: prefix, AGENT_HEARTBEAT_MS: '300', AGENT_CONSOLE_PORT: '0' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    agent.stdout!.on('data', (b) => (agentLog += b));
    agent.stderr!.on('data', (b) => (agentLog += b));
  }, 60_000);

  afterAll(async () => {
    if (agent && agent.exitCode === null) agent.kill('SIGKILL');
    await eventsWorker?.close();
    await hostQueue?.close();
    redis?.kill('SIGTERM');
    await createLxcDriver({ dataDir: env.BERTH_DATA_DIR, lxcPath: env.BERTH_LXC_PATH }).destroy(spec);
    if (tmp) await rm(tmp, { recursive: true, force: true });
  }, 60_000);

  it('runs create and destroy from its host queue, reports progress, results and heartbeats, exits on SIGTERM', async () => {
    await waitFor('a heartbeat', () => events.find((e) => e.name === 'host.heartbeat@1'), 30_000).catch((e) => {
      throw new Error(`${e.message}\nagent log:\n${agentLog}`);
    });
    const create = newId('operation');
    const t0 = performance.now();
    await hostQueue.add('server.create@1', payload(create), jobOptions('server.create@1', create));
    expect(await waitFor('create finished', () => finishedOf(create))).toMatchObject({ outcome: 'succeeded', state: 'running', attempt: 1, hostId });
    console.log(`create via queue to running: ${Math.round(performance.now() - t0)} ms`);
    expect(events.filter((e) => e.name === 'operation.progress@1' && e.data.operationId === create).length).toBeGreaterThan(1);
    expect(await succeeds('lxc-attach', ['-P', env.BERTH_LXC_PATH, '-n', serverId, '--', 'true'])).toBe(true);

    const bad = newId('operation');
    await hostQueue.add('server.start@1', { ...payload(bad), spec: { ...spec, hostname: 'bad\nname' } }, jobOptions('server.start@1', bad));
    expect(await waitFor('bad start finished', () => finishedOf(bad))).toMatchObject({ outcome: 'failed', attempt: 1 });

    const destroy = newId('operation');
    await hostQueue.add('server.destroy@1', payload(destroy), jobOptions('server.destroy@1', destroy));
    expect(await waitFor('destroy finished', () => finishedOf(destroy))).toMatchObject({ outcome: 'succeeded', state: 'absent' });
    expect(existsSync(path.join(env.BERTH_LXC_PATH, serverId))).toBe(false);

    const exited = new Promise<number | null>((resolve) => agent!.once('exit', (code) => resolve(code)));
    const t1 = performance.now();
    agent!.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(performance.now() - t1).toBeLessThan(5_000);
    expect(agentLog).toContain('agent stopped');
    expect((await run('lxc-ls', ['-P', env.BERTH_LXC_PATH])).stdout).not.toContain(serverId);
  }, 240_000);
});
