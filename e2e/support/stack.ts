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

export type TStack = {
  baseUrl: string;
  adminEmail: string;
  adminPassword: string;
  adminKey: string;
  hostId: string;
  env: Record<string, string>;
  stop: () => Promise<void>;
};

const execFileP = promisify(execFile);
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

export const startStack = async ({ withAgent = true, log = false }: { withAgent?: boolean; log?: boolean } = {}): Promise<TStack> => {
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
    AGENT_HEARTBEAT_MS: '2000',
    WORKER_SWEEP_MS: '1000',
    NODE_ENV: 'production',
  };
  await execFileP(bin('tsx'), ['prisma/seed/main.ts'], { cwd: REPO_ROOT, env });
  const { stdout: key } = await execFileP(bin('tsx'), ['scripts/cli/main.ts', 'keys', 'create', '--admin'], { cwd: REPO_ROOT, env });

  const children: ChildProcess[] = [];
  const start = (name: string, cmd: string, args: string[], cwd = REPO_ROOT) => {
    const c = spawn(cmd, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    const out = (d: Buffer) => log && process.stderr.write(`[${name}] ${d}`);
    c.stdout!.on('data', out);
    c.stderr!.on('data', out);
    children.push(c);
  };
  start('panel', bin('next'), ['start', '-H', '127.0.0.1', '-p', String(port)], path.join(REPO_ROOT, 'apps/panel'));
  start('worker', bin('tsx'), ['apps/worker/src/main.ts']);
  if (withAgent) start('agent', bin('tsx'), ['agent/src/main.ts']);

  const baseUrl = `http://127.0.0.1:${port}`;
  await waitFor('the panel', async () => (await fetch(`${baseUrl}/api/v1/plans`)).status === 401);

  const stop = async () => {
    await Promise.all(
      children.map((c) => new Promise<void>((resolve) => {
        if (c.exitCode !== null || c.signalCode !== null) return resolve();
        const kill = setTimeout(() => c.kill('SIGKILL'), 20_000);
        c.once('exit', () => (clearTimeout(kill), resolve()));
        c.kill('SIGTERM');
      })),
    );
    const redis = new Redis(env.REDIS_URL!, { maxRetriesPerRequest: 1 });
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${env.BERTH_QUEUE_PREFIX}:*`, 'COUNT', 1000);
      if (keys.length) await redis.del(...keys);
      cursor = next;
    } while (cursor !== '0');
    await redis.quit();
    await t.drop();
  };

  return { baseUrl, adminEmail: env.BERTH_ADMIN_EMAIL!, adminPassword, adminKey: key.trim(), hostId: env.BERTH_HOST_ID!, env, stop };
};
