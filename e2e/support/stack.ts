// Starts a private Berth stack for tests: its own database (cloned + seeded), its own queue prefix, a free
// port for the panel, the real worker and (optionally) the real agent of this host. Nothing is mocked.
import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { promisify } from 'node:util';
import { Redis } from 'ioredis';
import { REPO_ROOT, parseDotEnv } from '@berth/config';
import { createTestDatabase } from '@berth/db/testing';
import { deleteHostRedisUser, ensureHostRedisUser } from '@berth/core';

export type TStack = {
  baseUrl: string;
  adminEmail: string;
  adminPassword: string;
  adminKey: string;
  hostId: string;
  env: Record<string, string>;
  /** Stop the agent (SIGTERM, as a host shutdown would) and start it again: VPSes are left as they are. */
  restartAgent: (between?: () => Promise<void>) => Promise<void>;
  /** Kill the agent or the worker with SIGKILL mid-whatever, and start it again after `downMs`. */
  crash: (which: 'agent' | 'worker', downMs?: number) => Promise<void>;
  stop: () => Promise<void>;
};

const execFileP = promisify(execFile);
// As `npm start` runs the panel (scripts/start.ts): a larger young generation, so fewer objects reach the
// old space and fewer long GC pauses hit API latency (bench:api p99 55 -> 40 ms at 200 req/s).
const PANEL_NODE_OPTIONS = '--max-semi-space-size=64';
const bin = (name: string) => path.join(REPO_ROOT, 'node_modules/.bin', name);

const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const srv = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });

const waitFor = async (what: string, check: () => Promise<boolean>, timeoutMs = 60_000) => {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (await check().catch(() => false)) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`timed out waiting for ${what}`);
};

type TStackOptions = {
  withAgent?: boolean;
  log?: boolean;
  /** Host offsets of 198.18.0.0/24 this stack's pool hands out: tests and benches keep clear of the dev pool (2-159). */
  poolRange?: string;
  /** Extra environment for every process of the stack (e.g. AGENT_CONCURRENCY). */
  env?: Record<string, string>;
};

export const startStack = async ({ withAgent = true, log = false, poolRange = '160-199', env: extra = {} }: TStackOptions = {}): Promise<TStack> => {
  const dotenv = parseDotEnv(readFileSync(path.join(REPO_ROOT, '.env'), 'utf8'));
  const t = await createTestDatabase();
  await t.db.$disconnect();
  const port = await freePort();
  const adminPassword = randomBytes(9).toString('hex');
  const env: Record<string, string> = {
    ...(process.env as Record<string, string>),
    ...dotenv,
    DATABASE_URL: t.url,
    BERTH_QUEUE_PREFIX: `t${randomBytes(4).toString('hex')}`,
    BERTH_ADMIN_EMAIL: 'admin@berth.test',
    BERTH_ADMIN_PASSWORD: adminPassword,
    BERTH_POOL_RANGE: poolRange,
    // uid slots 12000-12999: never shared with the dev panel's VPSes (0-11999).
    BERTH_UID_FIRST_SLOT: '12000',
    BERTH_UID_SLOTS: '1000',
    AGENT_HEARTBEAT_MS: '2000',
    AGENT_CONSOLE_PORT: '0', // stacks run side by side: each agent's console takes a free port
    AGENT_TRANSFER_PORT: '0',
    WORKER_SWEEP_MS: '1000',
    NODE_ENV: 'production',
    PANEL_HOST: '127.0.0.1',
    PORT: String(port),
    ...extra,
  };
  await execFileP(bin('tsx'), ['prisma/seed/main.ts'], { cwd: REPO_ROOT, env });
  const { stdout: key } = await execFileP(bin('tsx'), ['scripts/cli/main.ts', 'keys', 'create', '--admin'], { cwd: REPO_ROOT, env });
  // The agent logs in as its host's own Redis user (this stack's prefix), as in production: not saved to the ACL file.
  const redisAdmin = new Redis(env.REDIS_URL!, { maxRetriesPerRequest: 1 });
  redisAdmin.on('error', () => {}); // a test may restart Redis under it: the next command reconnects
  const agentRedis = await ensureHostRedisUser({ redis: redisAdmin, url: env.REDIS_URL!, prefix: env.BERTH_QUEUE_PREFIX!, hostId: env.BERTH_HOST_ID!, persist: false });
  const agentEnv = { REDIS_URL: agentRedis.url };

  const children: ChildProcess[] = [];
  const start = (name: string, cmd: string, args: string[], cwd = REPO_ROOT, extraEnv: Record<string, string> = {}) => {
    // Its own process group: tsx runs the program in a child node process, which a signal to tsx alone
    // (SIGKILL cannot be relayed) would leave running — a "crash" that killed nothing.
    const c = spawn(cmd, args, { cwd, env: { ...env, ...extraEnv }, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    const out = (d: Buffer) => log && process.stderr.write(`[${name}] ${d}`);
    c.stdout!.on('data', out);
    c.stderr!.on('data', out);
    children.push(c);
    return c;
  };
  const killGroup = (c: ChildProcess, signal: NodeJS.Signals) => {
    try {
      process.kill(-c.pid!, signal);
    } catch {
      c.kill(signal); // the group is gone already
    }
  };
  const terminate = (c: ChildProcess) =>
    new Promise<void>((resolve) => {
      if (c.exitCode !== null || c.signalCode !== null) return resolve();
      const kill = setTimeout(() => killGroup(c, 'SIGKILL'), 20_000);
      c.once('exit', () => (clearTimeout(kill), resolve()));
      c.kill('SIGTERM'); // tsx relays it to the program, which shuts down cleanly
    });
  start('panel', bin('tsx'), ['serve.ts'], path.join(REPO_ROOT, 'apps/panel'), { NODE_OPTIONS: PANEL_NODE_OPTIONS });
  let worker = start('worker', bin('tsx'), ['apps/worker/src/main.ts']);
  let agent = withAgent ? start('agent', bin('tsx'), ['agent/src/main.ts'], REPO_ROOT, agentEnv) : undefined;
  const restartAgent = async (between?: () => Promise<void>) => {
    if (agent) await terminate(agent);
    await between?.();
    agent = start('agent', bin('tsx'), ['agent/src/main.ts'], REPO_ROOT, agentEnv);
  };
  /** SIGKILL (a crash: no clean-up of any kind), then start it again after `downMs`. */
  const crash = async (which: 'agent' | 'worker', downMs = 0) => {
    const c = which === 'agent' ? agent : worker;
    if (c && c.exitCode === null && c.signalCode === null) {
      const gone = new Promise<void>((resolve) => c.once('exit', () => resolve()));
      killGroup(c, 'SIGKILL');
      await gone;
    }
    await new Promise((r) => setTimeout(r, downMs));
    if (which === 'agent') agent = start('agent', bin('tsx'), ['agent/src/main.ts'], REPO_ROOT, agentEnv);
    else worker = start('worker', bin('tsx'), ['apps/worker/src/main.ts']);
  };

  const baseUrl = `http://127.0.0.1:${port}`;
  await waitFor('the panel', async () => (await fetch(`${baseUrl}/api/v1/plans`)).status === 401);

  const adminKey = key.trim();
  /** Safety net for a failed test: destroy every server this stack still has, through its own API. */
  const destroyLeftovers = async () => {
    const h = { authorization: `Bearer ${adminKey}` };
    const list = (await (await fetch(`${baseUrl}/api/v1/servers?limit=200`, { headers: h })).json()) as { data: { id: string; status: string }[] };
    const left = list.data.filter((s) => s.status !== 'deleted');
    const until = Date.now() + 120_000;
    while (left.length && Date.now() < until) {
      for (const s of left) await fetch(`${baseUrl}/api/v1/servers/${s.id}`, { method: 'DELETE', headers: h });
      await new Promise((r) => setTimeout(r, 1000));
      const states = await Promise.all(left.map(async (s) => ((await (await fetch(`${baseUrl}/api/v1/servers/${s.id}`, { headers: h })).json()) as { status: string }).status));
      for (let i = left.length - 1; i >= 0; i--) if (states[i] === 'deleted') left.splice(i, 1);
    }
    if (left.length) console.error(`stack: could not destroy ${left.map((s) => s.id).join(', ')}`);
  };

  const stop = async () => {
    if (withAgent) await destroyLeftovers().catch((e) => console.error(`stack: cleanup failed: ${e}`));
    await Promise.all(children.map(terminate));
    const redis = redisAdmin;
    await deleteHostRedisUser({ redis, prefix: env.BERTH_QUEUE_PREFIX!, hostId: env.BERTH_HOST_ID!, persist: false });
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${env.BERTH_QUEUE_PREFIX}:*`, 'COUNT', 1000);
      if (keys.length) await redis.del(...keys);
      cursor = next;
    } while (cursor !== '0');
    await redis.quit();
    await t.drop();
  };

  return { baseUrl, adminEmail: env.BERTH_ADMIN_EMAIL!, adminPassword, adminKey, hostId: env.BERTH_HOST_ID!, env, restartAgent, crash, stop };
};
