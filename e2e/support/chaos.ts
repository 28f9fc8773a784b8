// Faults injected into a private stack (its own Postgres cluster and Redis, the real worker and agent on this
// host's LXC), and what must hold after each: every operation ends succeeded or failed with a reason, every
// server ends where it was asked to be, nothing is left behind, nothing is lost, nothing runs twice, no hour is
// billed twice. Used by `npm run chaos` (full counts) and e2e/chaos.int.test.ts (reduced, in CI).
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { createDb } from '@berth/db';
import { vethName } from '../../agent/src/network/names.ts';
import { storagePaths } from '../../agent/src/storage/paths.ts';
import { apiClient, pollUntil, type TApi } from './api.ts';
import { startStack, type TStack } from './stack.ts';

const execFileP = promisify(execFile);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const rand = (a: number, b: number) => a + Math.floor(Math.random() * (b - a));

export type TChaosRow = { scenario: string; fault: string; expected: string; observed: string; pass: boolean };

const PG = { version: '15', cluster: 'berthchaos', port: 5499 };

/** A Postgres cluster of its own (restartable without touching anyone else's databases). */
const startPostgres = async () => {
  await execFileP('pg_dropcluster', [PG.version, PG.cluster, '--stop']).catch(() => {});
  await execFileP('pg_createcluster', [PG.version, PG.cluster, '-p', String(PG.port), '--start', '--', '--auth-local=trust', '--auth-host=trust']);
  return {
    url: `postgresql://postgres@127.0.0.1:${PG.port}/postgres`,
    restart: () => execFileP('pg_ctlcluster', [PG.version, PG.cluster, 'restart', '-m', 'fast']),
    stop: () => execFileP('pg_dropcluster', [PG.version, PG.cluster, '--stop']).then(() => undefined),
  };
};

/**
 * A Redis of its own, configured like setup's: an append-only file fsynced on every write (a restart loses
 * nothing acknowledged) and an ACL file, so the agent's own Redis user survives the restart too.
 */
const startRedis = async (port: number) => {
  const dir = mkdtempSync(path.join(tmpdir(), 'berth-chaos-redis-'));
  writeFileSync(path.join(dir, 'users.acl'), '');
  let proc: ChildProcess | undefined;
  const up = async () => {
    proc = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--appendonly', 'yes', '--appendfsync', 'always', '--save', '',
      '--aclfile', path.join(dir, 'users.acl')], { stdio: 'ignore' });
    const { Redis } = await import('ioredis');
    await pollUntil('chaos redis', async () => {
      const r = new Redis({ port, lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
      try { await r.connect(); return (await r.ping()) === 'PONG'; } catch { return false; } finally { r.disconnect(); }
    }, (ok) => ok, 10_000);
  };
  const down = async () => {
    if (!proc || proc.exitCode !== null) return;
    const gone = new Promise((r) => proc!.once('exit', r));
    proc.kill('SIGTERM');
    await gone;
  };
  await up();
  const saveUsers = async () => {
    const { Redis } = await import('ioredis');
    const r = new Redis({ port, maxRetriesPerRequest: 1 });
    await r.call('ACL', 'SAVE');
    await r.quit();
  };
  return {
    url: `redis://127.0.0.1:${port}/0`, saveUsers,
    restart: async (downMs: number) => { await down(); await sleep(downMs); await up(); },
    stop: async () => { await down(); rmSync(dir, { recursive: true, force: true }); },
  };
};

export type TChaos = {
  stack: TStack;
  api: TApi;
  pg: Awaited<ReturnType<typeof startPostgres>>;
  redis: Awaited<ReturnType<typeof startRedis>>;
  stop: () => Promise<void>;
};

export const startChaos = async (): Promise<TChaos> => {
  const pg = await startPostgres();
  const redis = await startRedis(6399);
  // The stack clones its database from this cluster and queues on this Redis.
  const previous = process.env.DATABASE_URL;
  process.env.DATABASE_URL = pg.url;
  try {
    const stack = await startStack({
      withAgent: true, poolRange: '200-239',
      // Disks are sparse: 25 nano servers' 5 GB each fit this machine's pool several times over.
      env: { REDIS_URL: redis.url, AGENT_CONCURRENCY: '4', BILLING_TICK_MS: '2000', WORKER_SWEEP_MS: '1000', BERTH_DISK_OVERCOMMIT: '4' },
    });
    await redis.saveUsers(); // the stack made its agent's user without saving it (it shares the real Redis otherwise)
    return { stack, api: apiClient(stack.baseUrl, stack.adminKey), pg, redis, stop: async () => { await stack.stop(); await redis.stop(); await pg.stop(); } };
  } finally {
    process.env.DATABASE_URL = previous;
  }
};

const nano = async (api: TApi) => {
  const plan = (await api.get('/plans')).body.data.find((p: { name: string }) => p.name === 'nano');
  const template = (await api.get('/templates')).body.data[0];
  return { planId: plan.id as string, templateId: template.id as string };
};

type TOp = { id: string; status: string; error: string | null; attempts: number };
const terminal = (o: TOp) => o.status === 'succeeded' || o.status === 'failed';
const settle = (api: TApi, ids: string[], timeoutMs = 15 * 60_000) =>
  Promise.all(ids.map((id) => pollUntil(`operation ${id}`, async () => (await api.get(`/operations/${id}`)).body as TOp, terminal, timeoutMs)));
const opsVerdict = (ops: TOp[]) => {
  const ok = ops.filter((o) => o.status === 'succeeded').length;
  const unclear = ops.filter((o) => o.status === 'failed' && !o.error?.trim()).length;
  return { ok, failed: ops.length - ok, unclear, text: `${ok}/${ops.length} succeeded, ${ops.length - ok} failed (${unclear} without a reason)` };
};

const create = async (api: TApi, prefix: string, n: number) => {
  const { planId, templateId } = await nano(api);
  const made: { id: string; op: string }[] = [];
  for (let i = 0; i < n; i++) {
    const r = await api.post('/servers', { hostname: `${prefix}-${i}.chaos.test`, planId, templateId });
    if (r.status !== 202) throw new Error(`create: ${r.status} ${JSON.stringify(r.body)}`);
    made.push({ id: r.body.server.id, op: r.body.operation.id });
  }
  return made;
};
const destroy = async (api: TApi, ids: string[]) => {
  const ops: string[] = [];
  for (const id of ids) {
    const r = await api.del(`/servers/${id}`);
    if (r.status !== 202) throw new Error(`delete ${id}: ${r.status} ${JSON.stringify(r.body)}`);
    ops.push(r.body.operation.id);
  }
  return ops;
};

/** Whatever of these servers is still anywhere: containers, disks, loop devices, filter entries, id ranges, addresses. */
export const leftovers = async (stack: TStack, ids: string[]): Promise<string[]> => {
  const env = stack.env;
  const paths = storagePaths(env.BERTH_DATA_DIR!);
  const found: string[] = [];
  const names = new Set(await readdir(env.BERTH_LXC_PATH!).catch(() => [] as string[]));
  const images = new Set(await readdir(paths.images).catch(() => [] as string[]));
  const loops = (await execFileP('losetup', ['-a'])).stdout;
  const nft = (await execFileP('nft', ['list', 'table', 'bridge', 'berth'])).stdout;
  const db = createDb(env.DATABASE_URL!, { max: 1 });
  try {
    for (const id of ids) {
      if (names.has(id)) found.push(`${id}: container`);
      if ([...images].some((f) => f.startsWith(id))) found.push(`${id}: disk image`);
      if (loops.includes(id)) found.push(`${id}: loop device`);
      if (nft.includes(`"${vethName(id)}"`)) found.push(`${id}: nft elements`);
    }
    if (await db.uidRange.count({ where: { serverId: { in: ids } } })) found.push('uid ranges still held');
    if (await db.ipAddress.count({ where: { serverId: { in: ids } } })) found.push('IPv4 addresses still held');
  } finally {
    await db.$disconnect();
  }
  return found;
};

/** (a) The agent is SIGKILLed at random moments while servers are created and then deleted. */
export const agentKills = async (c: TChaos, n: number): Promise<TChaosRow[]> => {
  let kills = 0;
  let running = true;
  // Bounded: with real kills every job of a killed agent waits out its lock (30 s), so an unbounded killer would
  // keep the agent down most of the time rather than crash it now and then.
  const budget = Math.max(2, Math.round(n / 5));
  const killer = (async () => {
    for (let i = 0; running && i < budget; i++) {
      await sleep(rand(2000, 6000));
      if (!running) break;
      await c.stack.crash('agent', rand(200, 1500));
      kills++;
    }
  })();
  // Besides the random ones, one kill lands while the creates run and one while the deletes run.
  const killSoon = async () => {
    await sleep(rand(200, 1200));
    await c.stack.crash('agent', rand(200, 1500));
    kills++;
  };
  const made = await create(c.api, 'kill', n);
  await killSoon();
  const created = await settle(c.api, made.map((m) => m.op));
  const states = await Promise.all(made.map(async (m) => (await c.api.get(`/servers/${m.id}`)).body.status as string));
  const deleting = await destroy(c.api, made.map((m) => m.id));
  await killSoon();
  const deletes = await settle(c.api, deleting);
  running = false;
  await killer;
  const after = await Promise.all(made.map(async (m) => (await c.api.get(`/servers/${m.id}`)).body.status as string));
  const left = await leftovers(c.stack, made.map((m) => m.id));
  const v = opsVerdict([...created, ...deletes]);
  const fault = `agent kill -9 ×${kills} during ${n} creates + ${n} deletes`;
  return [
    { scenario: 'a', fault, expected: 'every operation succeeded or failed with a reason', observed: v.text, pass: v.unclear === 0 },
    { scenario: 'a', fault, expected: 'created servers running, then deleted', observed: `${states.filter((s) => s === 'running').length}/${n} running, ${after.filter((s) => s === 'deleted').length}/${n} deleted`, pass: states.every((s) => s === 'running') && after.every((s) => s === 'deleted') },
    { scenario: 'a', fault, expected: '0 orphan containers, images, loop devices, nft entries, id ranges, IPs', observed: left.length ? left.join('; ') : '0 left', pass: left.length === 0 },
  ];
};

/** (b) Redis restarts while operations are in flight. */
export const redisRestart = async (c: TChaos, n: number): Promise<TChaosRow[]> => {
  const made = await create(c.api, 'redis', n);
  await sleep(500);
  await c.redis.restart(1500);
  const ops = await settle(c.api, made.map((m) => m.op));
  const deletes = await settle(c.api, await destroy(c.api, made.map((m) => m.id)));
  const v = opsVerdict([...ops, ...deletes]);
  return [{ scenario: 'b', fault: `Redis restarted (1.5 s down) with ${n} creates in flight`, expected: '0 operations lost: all created, then deleted', observed: v.text, pass: v.ok === ops.length + deletes.length }];
};

/** (c) Postgres restarts: the panel answers 503 meanwhile and recovers by itself; no hour is billed twice. */
export const postgresRestart = async (c: TChaos): Promise<TChaosRow[]> => {
  const [one] = await create(c.api, 'pg', 1);
  await settle(c.api, [one!.op]);
  const seen = new Map<number, number>();
  let lastBad = 0;
  let firstGoodAfter = 0;
  let polling = true;
  let restartedAt = 0;
  const poller = (async () => {
    while (polling) {
      const r = await c.api.get('/servers?limit=1').catch(() => ({ status: 0 }));
      seen.set(r.status, (seen.get(r.status) ?? 0) + 1);
      if (r.status !== 200) lastBad = Date.now();
      else if (restartedAt && lastBad && !firstGoodAfter && Date.now() > lastBad) firstGoodAfter = Date.now();
      await sleep(100);
    }
  })();
  await sleep(1000);
  await c.pg.restart();
  restartedAt = Date.now();
  await sleep(8000);
  polling = false;
  await poller;
  const recoveryMs = firstGoodAfter ? firstGoodAfter - restartedAt : Infinity;
  const statuses = [...seen].map(([s, n]) => `${s}×${n}`).join(' ');
  const only503 = [...seen.keys()].every((s) => s === 200 || s === 503);
  // Metering ran through the restart: each server has at most one line per month, plan and payer, and no more
  // hours than have started since it was created.
  const db = createDb(c.stack.env.DATABASE_URL!, { max: 1 });
  const over = await db.$queryRaw<{ server_id: string }[]>`
    SELECT u.server_id FROM usage_lines u JOIN servers s ON s.id = u.server_id
    GROUP BY u.server_id, s.created_at HAVING sum(u.hours) > ceil(extract(epoch FROM now() - date_trunc('hour', s.created_at)) / 3600)`;
  await db.$disconnect();
  await settle(c.api, await destroy(c.api, [one!.id]));
  return [
    { scenario: 'c', fault: 'Postgres restarted', expected: 'only 200 or 503 (problem+json) meanwhile', observed: statuses, pass: only503 },
    { scenario: 'c', fault: 'Postgres restarted', expected: 'answers 200 again within 5 s of the restart', observed: Number.isFinite(recoveryMs) ? `${(recoveryMs / 1000).toFixed(1)} s` : 'never', pass: recoveryMs <= 5000 },
    { scenario: 'c', fault: 'Postgres restarted', expected: '0 double-billed hours', observed: `${over.length} server(s) over`, pass: over.length === 0 },
  ];
};

/** (d) The worker is SIGKILLed while it dispatches operations. */
export const workerKills = async (c: TChaos, n: number): Promise<TChaosRow[]> => {
  const creating = create(c.api, 'worker', n);
  await sleep(300);
  await c.stack.crash('worker', 1000);
  const made = await creating;
  await c.stack.crash('worker', 500);
  const ops = await settle(c.api, made.map((m) => m.op));
  const twice = ops.filter((o) => o.attempts > 1).length;
  const deletes = await settle(c.api, await destroy(c.api, made.map((m) => m.id)));
  const v = opsVerdict([...ops, ...deletes]);
  return [
    { scenario: 'd', fault: `worker kill -9 ×2 while dispatching ${n} creates`, expected: 'all created once (one attempt each), then deleted', observed: `${v.text}; ${twice} ran more than once`, pass: v.ok === ops.length + deletes.length && twice === 0 },
  ];
};

/**
 * (e) The agent SIGKILLed while backups of a VPS holding data are written, then while the newest backup that is
 * ready is restored onto it: every operation ends succeeded or failed with a reason; the VPS runs (never left
 * frozen) with its data as backed up; no scratch image or freeze mark is left; a redelivered job finished the work.
 */
export const backupKills = async (c: TChaos, backups: number): Promise<TChaosRow[]> => {
  const killedAt: string[] = [];
  // Killed once the operation reports the step: mid-copy, not before the job started or after it ended.
  const killDuring = async (opId: string, step: string) => {
    const op = await pollUntil(`${opId} at "${step}"`, async () => (await c.api.get(`/operations/${opId}`)).body as TOp & { step: string | null },
      (o) => !!o.step?.startsWith(step) || terminal(o), 120_000);
    killedAt.push(terminal(op) ? `after it ended (${op.status})` : op.step!);
    await c.stack.crash('agent', rand(200, 1000));
  };
  const [made] = await create(c.api, 'keep', 1);
  const [created] = await settle(c.api, [made!.op]);
  if (created!.status !== 'succeeded') throw new Error(`backup chaos: the VPS was not created: ${created!.error}`);
  const lxcPath = c.stack.env.BERTH_LXC_PATH!;
  const inVps = async (cmd: string) => (await execFileP('lxc-attach', ['-P', lxcPath, '-n', made!.id, '--', 'sh', '-c', cmd])).stdout.trim();
  await inVps('head -c 300M /dev/urandom > /root/data && sync');
  const sum = await inVps('sha256sum /root/data');
  const ops: TOp[] = [];
  for (let i = 0; i < backups; i++) {
    const b = await c.api.post(`/servers/${made!.id}/backups`, { kind: i === 0 ? 'full' : 'incremental' });
    if (b.status !== 202) throw new Error(`backup: ${b.status} ${JSON.stringify(b.body)}`);
    await killDuring(b.body.operation.id, 'copying the disk');
    ops.push(...await settle(c.api, [b.body.operation.id]));
  }
  const listed = (await c.api.get(`/servers/${made!.id}/backups`)).body.data as { id: string; status: string; error: string | null }[];
  const ready = listed.find((b) => b.status === 'ready');
  await inVps('rm /root/data && sync');
  let restored = 'no backup was ready to restore';
  if (ready) {
    const r = await c.api.post(`/backups/${ready.id}/restore`, {});
    await killDuring(r.body.operation.id, 'restoring the disk');
    const [op] = await settle(c.api, [r.body.operation.id]);
    ops.push(op!);
    restored = op!.status === 'succeeded' ? ((await inVps('sha256sum /root/data 2>&1 || true')) === sum ? 'data back' : 'data differs') : `restore failed: ${op!.error}`;
  }
  const lxcState = (await execFileP('lxc-info', ['-P', lxcPath, '-n', made!.id, '-sH'])).stdout.trim();
  const apiState = (await c.api.get(`/servers/${made!.id}`)).body.status as string;
  const paths = storagePaths(c.stack.env.BERTH_DATA_DIR!);
  const scratch = (await readdir(paths.work).catch(() => [] as string[])).filter((f) => f.startsWith(made!.id));
  const deleted = await settle(c.api, await destroy(c.api, [made!.id]));
  const left = await leftovers(c.stack, [made!.id]);
  const v = opsVerdict([...ops, ...deleted]);
  const fault = `agent kill -9 during ${backups} backup(s) and a restore of a VPS with 300 MB of data (at: ${killedAt.join('; ')})`;
  return [
    { scenario: 'e', fault, expected: 'every operation succeeded or failed with a reason', observed: `${v.text}; backups: ${listed.map((b) => b.status).join(', ')}`, pass: v.unclear === 0 && listed.every((b) => b.status !== 'failed' || !!b.error) },
    { scenario: 'e', fault, expected: 'a backup ready, restored: the data as backed up', observed: restored, pass: restored === 'data back' },
    { scenario: 'e', fault, expected: 'the VPS running, not frozen', observed: `API ${apiState}, LXC ${lxcState}`, pass: apiState === 'running' && lxcState === 'RUNNING' },
    { scenario: 'e', fault, expected: 'no scratch image or freeze mark left; nothing left after delete', observed: [...scratch, ...left].join('; ') || 'none', pass: scratch.length === 0 && left.length === 0 },
  ];
};

export const renderChaos = (rows: TChaosRow[]) => {
  const head = ['scenario', 'fault', 'expected', 'observed', 'result'];
  const lines = rows.map((r) => [r.scenario, r.fault, r.expected, r.observed, r.pass ? 'pass' : 'FAIL']);
  return [`| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`, ...lines.map((l) => `| ${l.map((x) => x.replace(/\|/g, '/')).join(' | ')} |`)].join('\n');
};
