import { createHash, createPublicKey, generateKeyPairSync, verify } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { canonicalJson, ZServerJob, ZTransferClaims } from '@berth/contracts';
import { createTestDatabase } from '@berth/db/testing';
import { addIpPoolHost } from '../ipam/add-ip-pool-host.ts';
import { buildServerJob } from '../operations/build-server-job.ts';
import { actOnServer } from '../servers/act-on-server.ts';
import { dispatchOutbox } from '../operations/dispatch-outbox.ts';
import { createFor, expectAppError, finish, hostCounters, makeHost, makePlan, makePrincipal, makeTemplate } from '../testing/fixtures.ts';
import { evacuateHost } from './evacuate-host.ts';
import { migrateServer } from './migrate-server.ts';

let t: Awaited<ReturnType<typeof createTestDatabase>>;
beforeAll(async () => { t = await createTestDatabase(); });
afterAll(async () => t?.drop());

const keys = generateKeyPairSync('ed25519');
const signingKey = keys.privateKey.export({ format: 'der', type: 'pkcs8' }).toString('base64');
const CERT = `-----BEGIN CERTIFICATE-----\n${'A'.repeat(200)}\n-----END CERTIFICATE-----\n`;

/** Hosts a and b share a's pool (one L2); c has only its own. The customer's server lands on a. */
const world = async (cidr: string) => {
  const db = t.db;
  const admin = await makePrincipal(db, { role: 'admin', scopes: ['admin:*', 'servers:read', 'servers:write'] });
  const customer = await makePrincipal(db);
  const [plan, template] = await Promise.all([makePlan(db, { memoryMb: 1024, diskGb: 10, cpuCores: 1 }), makeTemplate(db)]);
  const a = await makeHost(db, { cidr, memoryMb: 2048, diskGb: 100 });
  const b = await makeHost(db, { cidr: cidr.replace(/\.0\/28$/, '.16/28'), memoryMb: 2048, diskGb: 100, status: 'maintenance' });
  const c = await makeHost(db, { cidr: cidr.replace(/\.0\/28$/, '.32/28'), memoryMb: 8192, diskGb: 100, status: 'maintenance' });
  const pool = await db.ipPool.findFirstOrThrow({ where: { hostId: a.id } });
  await addIpPoolHost({ db, principal: admin, poolId: pool.id, input: { hostId: b.id } });
  await db.host.updateMany({ where: { id: { not: a.id } }, data: { status: 'maintenance' } }); // earlier tests' hosts too
  const { server, operation } = await createFor(db, customer, plan.id, template.id);
  await finish(db, { operationId: operation.id, serverId: server.id, hostId: a.id }, 'succeeded', { state: 'running' });
  for (const h of [b, c]) await db.host.update({ where: { id: h.id }, data: { status: 'online', transferUrl: `https://10.250.0.9:8092`, transferCertPem: CERT } });
  return { db, admin, customer, plan, a, b, c, pool, server };
};

it('moves a server only to a host on its pool with room, reserving there and settling on the outcome', async () => {
  const { db, admin, customer, plan, a, b, c, pool, server } = await world('198.18.40.0/28');
  expect((await addIpPoolHost({ db, principal: admin, poolId: pool.id, input: { hostId: b.id } })).hostIds.sort()).toEqual([a.id, b.id].sort());

  await expectAppError(migrateServer({ db, principal: customer, serverId: server.id, input: {} }), 'forbidden');
  // c has the most room but is not on the server's pool: the address would not work there.
  const offPool = await expectAppError(migrateServer({ db, principal: admin, serverId: server.id, input: { hostId: c.id } }), 'no_capacity');
  expect(offPool.message).toMatch(/IPv4 pool/);
  await expectAppError(migrateServer({ db, principal: admin, serverId: server.id, input: { hostId: a.id } }), 'validation_failed');
  expect(await db.operation.count({ where: { serverId: server.id, type: 'migrate' } })).toBe(0);

  // Unpinned: the only other host on the pool.
  const failing = (await migrateServer({ db, principal: admin, serverId: server.id, input: {} })).operation;
  expect(await hostCounters(db, b.id)).toEqual({ cpu: 1, memoryMb: 1024, diskGb: 10 });
  expect((await db.uidRange.findMany({ where: { serverId: server.id } })).map((r) => r.hostId).sort()).toEqual([a.id, b.id].sort());
  await expectAppError(migrateServer({ db, principal: admin, serverId: server.id, input: {} }), 'operation_in_progress');

  // The job: the source's spec, and the target's (its own id range) bound into a token the target can check.
  const job = ZServerJob.parse(await buildServerJob({ db, operationId: failing.id, signingKey }));
  expect(job.migration).toMatchObject({ hostId: b.id, url: 'https://10.250.0.9:8092', certPem: CERT });
  const m = job.migration!;
  expect(m.spec.network.ipv4).toBe(job.spec.network.ipv4);
  const there = await db.uidRange.findFirstOrThrow({ where: { serverId: server.id, hostId: b.id } });
  expect(m.spec.idmap.uidBase).toBe(b.uidBase + there.slot * 65_536);
  const [body, sig] = m.token.split('.');
  expect(verify(null, Buffer.from(body!), createPublicKey(keys.privateKey), Buffer.from(sig!, 'base64url'))).toBe(true);
  const claims = ZTransferClaims.parse(JSON.parse(Buffer.from(body!, 'base64url').toString()));
  expect(claims).toMatchObject({ op: failing.id, sid: server.id, from: a.id, to: b.id });
  expect(claims.digest).toBe(createHash('sha256').update(canonicalJson(m.spec)).digest('hex'));

  // The target (or any other host) cannot end the source's operation: its report is dropped.
  await finish(db, { operationId: failing.id, serverId: server.id, hostId: b.id }, 'succeeded', { state: 'running' });
  expect(await db.operation.findUniqueOrThrow({ where: { id: failing.id } })).toMatchObject({ status: 'queued' });
  expect(await db.server.findUniqueOrThrow({ where: { id: server.id } })).toMatchObject({ hostId: a.id });

  // Failed (the VPS still runs on a): the target's reservation is given back, nothing moved.
  await finish(db, { operationId: failing.id, serverId: server.id, hostId: a.id }, 'failed', { state: 'running', error: 'target unreachable' });
  expect(await db.server.findUniqueOrThrow({ where: { id: server.id } })).toMatchObject({ hostId: a.id, status: 'running' });
  expect(await hostCounters(db, b.id)).toEqual({ cpu: 0, memoryMb: 0, diskGb: 0 });
  expect((await db.uidRange.findMany({ where: { serverId: server.id } })).map((r) => r.hostId)).toEqual([a.id]);

  // Succeeded: the server lives on b with the same address; a's capacity and id range are free.
  const address = (await db.ipAddress.findFirstOrThrow({ where: { serverId: server.id } })).address;
  const ok = (await migrateServer({ db, principal: admin, serverId: server.id, input: { hostId: b.id } })).operation;
  await finish(db, { operationId: ok.id, serverId: server.id, hostId: a.id }, 'succeeded', { state: 'running' });
  expect(await db.server.findUniqueOrThrow({ where: { id: server.id } })).toMatchObject({ hostId: b.id, status: 'running' });
  expect((await db.ipAddress.findFirstOrThrow({ where: { serverId: server.id } })).address).toBe(address);
  expect(await hostCounters(db, a.id)).toEqual({ cpu: 0, memoryMb: 0, diskGb: 0 });
  expect(await hostCounters(db, b.id)).toEqual({ cpu: plan.cpuCores, memoryMb: plan.memoryMb, diskGb: plan.diskGb });
  expect((await db.uidRange.findMany({ where: { serverId: server.id } })).map((r) => r.hostId)).toEqual([b.id]);
  // Later jobs go to its new host with its range there.
  const stop = (await actOnServer({ db, principal: customer, serverId: server.id, action: { type: 'stop' } })).operation;
  expect(await db.operation.findUniqueOrThrow({ where: { id: stop.id } })).toMatchObject({ hostId: b.id });
  expect((await buildServerJob({ db, operationId: stop.id }))?.spec.idmap).toEqual(m.spec.idmap);
});

it('fails a migration whose target never reported a transfer endpoint, giving the reservation back', async () => {
  const { db, admin, b, server } = await world('198.18.41.0/28');
  await db.host.update({ where: { id: b.id }, data: { transferUrl: null, transferCertPem: null } });
  const op = (await migrateServer({ db, principal: admin, serverId: server.id, input: {} })).operation;
  const published: string[] = [];
  await dispatchOutbox({ db, limit: 50, signingKey, publish: async (_h, name, _p, id) => void published.push(`${name} ${id}`) });
  expect(published.filter((p) => p.endsWith(op.id))).toEqual([]);
  const after = await db.operation.findUniqueOrThrow({ where: { id: op.id } });
  expect(after).toMatchObject({ status: 'failed' });
  expect(after.error).toMatch(/has not reported a transfer endpoint/);
  expect(await db.server.findUniqueOrThrow({ where: { id: server.id } })).toMatchObject({ status: 'running' });
  expect(await hostCounters(db, b.id)).toEqual({ cpu: 0, memoryMb: 0, diskGb: 0 });
});

it('evacuates a host: drains it, queues a move per server that fits elsewhere, reports the rest', async () => {
  const { db, admin, customer, plan, a, b, c, server } = await world('198.18.42.0/28');
  // A second server on a; b has room for only one more of this plan (2048 MB).
  await db.host.updateMany({ where: { id: { not: a.id } }, data: { status: 'maintenance' } });
  const second = await createFor(db, customer, plan.id, (await db.server.findUniqueOrThrow({ where: { id: server.id } })).templateId);
  await db.host.updateMany({ where: { id: { in: [b.id, c.id] } }, data: { status: 'online' } });
  await finish(db, { operationId: second.operation.id, serverId: second.server.id, hostId: a.id }, 'succeeded', { state: 'stopped' });
  await db.host.update({ where: { id: b.id }, data: { allocMemoryMb: 1024 } });
  const res = await evacuateHost({ db, principal: admin, hostId: a.id });
  expect((await db.host.findUniqueOrThrow({ where: { id: a.id } })).status).toBe('maintenance');
  expect(res.operations).toHaveLength(1);
  expect(res.operations[0]).toMatchObject({ type: 'migrate', serverId: server.id });
  expect(res.unplaced).toEqual([{ serverId: second.server.id, reason: expect.stringMatching(/No other online host/) }]);
});
