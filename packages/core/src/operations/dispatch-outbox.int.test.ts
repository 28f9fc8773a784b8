import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { Queue } from 'bullmq';
import pg from 'pg';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadEnv, ZWorkerEnv } from '@berth/config';
import { newId, ZServerJob } from '@berth/contracts';
import type { TDb } from '@berth/db';
import { createTestDatabase } from '@berth/db/testing';
import { hostQueueName, JOBS, jobOptions, parseJob, redisConnection } from '@berth/jobs';
import { actOnServer } from '../servers/act-on-server.ts';
import { deleteServer } from '../servers/delete-server.ts';
import { dispatchOutbox, type TPublish } from './dispatch-outbox.ts';
import { createFor, expectAppError, finish, makeHost, makeWorld, sshPublicKey } from '../testing/fixtures.ts';

const { REDIS_URL } = loadEnv(ZWorkerEnv);
const prefix = `t${randomBytes(4).toString('hex')}`;
const connection = redisConnection(REDIS_URL);
const queues = new Map<string, Queue>();
const queueFor = (hostId: string) => {
  if (!queues.has(hostId)) queues.set(hostId, new Queue(hostQueueName(hostId), { connection, prefix }));
  return queues.get(hostId)!;
};
const publish: TPublish = async (hostId, name, payload, jobId) => {
  await queueFor(hostId).add(name, payload, jobOptions(name, jobId));
};
const jobsOn = async (hostId: string) => queueFor(hostId).getJobs(['wait', 'delayed', 'active', 'prioritized']);

let t: Awaited<ReturnType<typeof createTestDatabase>>;
let db: TDb;
let w: Awaited<ReturnType<typeof makeWorld>>;
// A database per test: dispatch drains every queued operation in it.
beforeEach(async () => {
  t = await createTestDatabase();
  db = t.db;
  w = await makeWorld(db, { cidr: '198.18.0.0/24' });
});
afterEach(async () => {
  await t.drop();
});

let redis: Redis;
beforeAll(() => {
  redis = new Redis(REDIS_URL, { lazyConnect: true }); // only to check and delete this file's keys
});
afterAll(async () => {
  await Promise.all([...queues.values()].map((q) => q.close()));
  for (let cursor = '0'; ;) {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
    if (keys.length) await redis.del(...keys);
    if ((cursor = next) === '0') break;
  }
  await redis.quit();
});

const dispatchedAt = async (id: string) => (await db.operation.findUniqueOrThrow({ where: { id } })).dispatchedAt;

describe('dispatchOutbox to real BullMQ host queues', () => {
  it('sends a queued create as one self-contained job keyed by the operation id', async () => {
    const first = await createFor(db, w.principal, w.plan.id, w.template.id);
    const keys = [sshPublicKey()];
    const { server, operation } = await createFor(db, w.principal, w.plan.id, w.template.id, { sshKeys: keys, rootPassword: 'hunter2hunter2' });

    expect(await dispatchOutbox({ db, publish, limit: 50 })).toBe(2);

    const jobs = await jobsOn(w.host.id);
    expect(jobs.map((j) => j.id).sort()).toEqual([first.operation.id, operation.id].sort());
    const job = (await queueFor(w.host.id).getJob(operation.id))!;
    expect(job.name).toBe('server.create@1');
    expect(job.opts.attempts).toBe(JOBS['server.create@1'].attempts);
    const payload = ZServerJob.parse(job.data);
    expect(parseJob(job.name, job.data).data).toEqual(payload);

    const row = await db.server.findUniqueOrThrow({ where: { id: server.id }, include: { uidRanges: true } });
    const host = await db.host.findUniqueOrThrow({ where: { id: w.host.id } });
    expect(row.uidRanges.map((r) => r.slot)).toEqual([1]);
    expect(payload).toMatchObject({ operationId: operation.id, serverId: server.id });
    expect(payload.spec).toMatchObject({
      serverId: server.id,
      hostname: server.hostname,
      imageRef: w.template.imageRef,
      network: { bridge: host.bridge, ipv4: server.ipv4, prefixLength: 24, gateway: null, mac: row.mac },
      idmap: { uidBase: host.uidBase + 1 * 65536, count: 65536 },
      limits: {
        cpuCores: w.plan.cpuCores, cpuWeight: w.plan.cpuWeight, memoryMb: w.plan.memoryMb, swapMb: w.plan.swapMb,
        diskGb: w.plan.diskGb, ioReadBps: Number(w.plan.ioReadBps), ioWriteBps: Number(w.plan.ioWriteBps),
        ioReadIops: w.plan.ioReadIops, ioWriteIops: w.plan.ioWriteIops, pidsMax: w.plan.pidsMax,
      },
      access: { sshKeys: keys },
    });
    expect(payload.spec.access.rootPasswordHash).toMatch(/^\$6\$[./0-9A-Za-z]{16}\$[./0-9A-Za-z]{86}$/);
    expect(JSON.stringify(job.data)).not.toContain('hunter2hunter2');
    expect(await dispatchedAt(operation.id)).toBeInstanceOf(Date);
  });

  it('gives one job per operation however often and however concurrently it runs', async () => {
    const made = [];
    for (let i = 0; i < 5; i++) made.push(await createFor(db, w.principal, w.plan.id, w.template.id));
    const sent = await Promise.all([1, 2, 3].map(() => dispatchOutbox({ db, publish, limit: 50 })));
    expect(sent.reduce((a, b) => a + b)).toBeGreaterThanOrEqual(5);
    expect(await dispatchOutbox({ db, publish, limit: 50 })).toBe(0);

    const jobs = await jobsOn(w.host.id);
    expect(jobs.map((j) => j.id).sort()).toEqual(made.map((m) => m.operation.id).sort());
    for (const m of made) expect(await dispatchedAt(m.operation.id)).toBeInstanceOf(Date);
  });

  it('leaves an operation in the outbox when publishing fails, and sends it on the next round', async () => {
    const { operation } = await createFor(db, w.principal, w.plan.id, w.template.id);
    const down: TPublish = async () => {
      throw new Error('ECONNREFUSED (redis down)');
    };
    await expect(dispatchOutbox({ db, publish: down, limit: 50 })).rejects.toThrow('ECONNREFUSED');
    expect(await dispatchedAt(operation.id)).toBeNull();
    expect(await jobsOn(w.host.id)).toHaveLength(0);

    expect(await dispatchOutbox({ db, publish, limit: 50 })).toBe(1);
    expect((await jobsOn(w.host.id)).map((j) => j.id)).toEqual([operation.id]);
    expect(await dispatchedAt(operation.id)).toBeInstanceOf(Date);
  });

  it('sends power and destroy operations under their own job names, and only for the host asked for', async () => {
    const { server, operation: create } = await createFor(db, w.principal, w.plan.id, w.template.id);
    const at = { serverId: server.id, hostId: w.host.id };
    await dispatchOutbox({ db, publish, limit: 50 });
    await finish(db, { ...at, operationId: create.id }, 'succeeded');

    const { operation: stop } = await actOnServer({ db, principal: w.principal, serverId: server.id, action: { type: 'stop' } });
    expect(await dispatchOutbox({ db, publish, limit: 50, hostId: newId('host') })).toBe(0);
    expect(await dispatchOutbox({ db, publish, limit: 50, hostId: w.host.id })).toBe(1);
    await finish(db, { ...at, operationId: stop.id }, 'succeeded');
    const { operation: destroy } = await deleteServer({ db, principal: w.principal, serverId: server.id });
    expect(await dispatchOutbox({ db, publish, limit: 50 })).toBe(1);

    const q = queueFor(w.host.id);
    expect((await q.getJob(stop.id))?.name).toBe('server.stop@1');
    const job = (await q.getJob(destroy.id))!;
    expect(job.name).toBe('server.destroy@1');
    expect(job.opts.attempts).toBe(JOBS['server.destroy@1'].attempts);
    expect(ZServerJob.parse(job.data).spec.network.ipv4).toBe(server.ipv4);
  });

  it('fails an operation that has no server to build a job from instead of sending it', async () => {
    const host = await makeHost(db, { cidr: '198.19.0.0/24' });
    const orphan = await db.operation.create({ data: { id: newId('operation'), type: 'create', hostId: host.id } });
    expect(await dispatchOutbox({ db, publish, limit: 50 })).toBe(0);
    const row = await db.operation.findUniqueOrThrow({ where: { id: orphan.id } });
    expect(row).toMatchObject({ status: 'failed', dispatchedAt: null });
    expect(row.error).toMatch(/no server spec/);
    expect(await jobsOn(host.id)).toHaveLength(0);
  });

  it('wakes the dispatcher: a committed create NOTIFYs berth_outbox with its host id, a rolled-back one does not', async () => {
    await db.host.update({ where: { id: w.host.id }, data: { status: 'maintenance' } });
    const full = await makeHost(db, { cidr: '198.19.1.0/30' }); // one usable address
    const listener = new pg.Client(t.url);
    const heard: string[] = [];
    await listener.connect();
    try {
      listener.on('notification', (n) => heard.push(n.payload ?? ''));
      await listener.query('LISTEN berth_outbox');
      await createFor(db, w.principal, w.plan.id, w.template.id);
      await expectAppError(createFor(db, w.principal, w.plan.id, w.template.id), 'no_ip_available');
      await sleep(200);
      expect(heard).toEqual([full.id]);
    } finally {
      await listener.end();
    }
  });
});
