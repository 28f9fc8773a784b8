import { createHash, generateKeyPairSync, sign } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, open, rm } from 'node:fs/promises';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { canonicalJson, newId, type TMigrationTarget, type TServerSpec } from '@berth/contracts';
import { createFakeDriver } from '../driver/fake.ts';
import { testSpec } from '../driver/lxc/test-spec.ts';
import { handleMigrate } from '../handlers/migrate.ts';
import { storagePaths } from '../storage/paths.ts';
import { createServerLock } from '../worker/server-lock.ts';
import { ensureTransferCert } from './transfer-cert.ts';
import { startTransferServer, type TTransferServer } from './transfer-server.ts';

// The migration protocol's edges with the real transfer server (real HTTPS, files, hashing) and the fake
// driver on both sides (no containers: the LXC path is proved in migrate.int.test.ts and on the rig).
const keys = generateKeyPairSync('ed25519');
const HOST_A = newId('host');
const HOST_B = newId('host');
const MiB = 1024 * 1024;
let dir = '';
let server: TTransferServer;
const target = createFakeDriver();

const token = (op: string, spec: TServerSpec) => {
  const claims = { v: 1, kind: 'transfer', op, sid: spec.serverId, from: HOST_A, to: HOST_B, exp: Math.floor(Date.now() / 1000) + 600,
    digest: createHash('sha256').update(canonicalJson(spec)).digest('hex') };
  const body = Buffer.from(JSON.stringify(claims)).toString('base64url');
  return `${body}.${sign(null, Buffer.from(body), keys.privateKey).toString('base64url')}`;
};
const to = (spec: TServerSpec, op = newId('operation')): TMigrationTarget =>
  ({ hostId: HOST_B, url: server.url, certPem: server.certPem, token: token(op, spec), spec, start: true });

/** A source host with one "running" VPS whose disk is a real sparse file with some data. */
const source = async (spec: TServerSpec) => {
  const file = path.join(dir, `${spec.serverId}.img`);
  const fh = await open(file, 'w');
  await fh.write(Buffer.alloc(3 * MiB, 7), 0, 3 * MiB, 5 * MiB);
  await fh.truncate(spec.limits.diskGb * 1024 ** 3);
  await fh.close();
  const fake = createFakeDriver();
  await fake.driver.create(spec);
  await fake.driver.start(spec);
  return { ...fake, driver: { ...fake.driver, diskImage: () => file } };
};
const run = (src: Awaited<ReturnType<typeof source>>, spec: TServerSpec, t: TMigrationTarget) =>
  handleMigrate({ driver: src.driver, spec, migration: t, progress: async () => {} });
/** A raw request to the target's endpoint, trusting its pinned certificate as the agent does. */
const call = (t: TMigrationTarget, method: string, suffix = '', body?: unknown, headers: Record<string, string> = {}) =>
  new Promise<{ status: number; json: () => unknown }>((resolve, reject) => {
    const data = body === undefined ? undefined : Buffer.isBuffer(body) ? body : Buffer.from(JSON.stringify(body));
    const req = request(`${t.url}/v1/migrations/${t.spec.serverId}${suffix}`, {
      method, ca: t.certPem, checkServerIdentity: () => undefined,
      headers: { authorization: `Bearer ${t.token}`, 'content-type': 'application/json', 'content-length': String(data?.length ?? 0), ...headers },
    }, (res) => {
      const parts: Buffer[] = [];
      res.on('data', (d: Buffer) => parts.push(d)).on('end', () => resolve({ status: res.statusCode ?? 0, json: () => JSON.parse(Buffer.concat(parts).toString()) }));
    });
    req.on('error', reject);
    req.end(data);
  });

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'berth-migrate-flow-'));
  const dataDir = path.join(dir, 'b');
  await mkdir(storagePaths(dataDir).images, { recursive: true });
  await mkdir(storagePaths(dataDir).templates, { recursive: true });
  server = await startTransferServer({
    hostId: HOST_B, dataDir, verifyKey: keys.publicKey.export({ format: 'der', type: 'spki' }).toString('base64'),
    driver: target.driver, lock: createServerLock(), cert: await ensureTransferCert(dataDir, HOST_B),
    listenHost: '127.0.0.1', port: 0, publicHost: '127.0.0.1', log: () => {},
  });
});
afterAll(async () => {
  await server?.close();
  await rm(dir, { recursive: true, force: true });
});

it('reports the move as done once the target runs the VPS, even if removing the source copy fails', async () => {
  const spec = testSpec(1);
  const src = await source(spec);
  src.failNext('destroy', new Error('umount: target is busy'));
  expect(await run(src, spec, to(spec))).toBe('running');
  expect(await target.driver.state(spec.serverId)).toBe('running');
  expect(src.calls).toContain(`destroy:${spec.serverId}`); // tried; its failure is logged for reconciliation
});

it('a replayed token neither destroys the moved VPS nor lets another operation overwrite it', async () => {
  const spec = testSpec(2);
  const src = await source(spec);
  const t = to(spec);
  expect(await run(src, spec, t)).toBe('running');
  // The source (or whoever kept its token) asks the target to drop the copy: the running VPS stays.
  expect((await call(t, 'DELETE')).status).toBe(204);
  expect(await target.driver.state(spec.serverId)).toBe('running');
  // The same operation again: committed, nothing to send. Another operation: refused, the VPS is not its.
  expect((await call(t, 'GET')).json()).toEqual({ state: 'running', committed: true });
  const other = to(spec);
  const begin = await call(other, 'POST', '/begin', { spec, size: spec.limits.diskGb * 1024 ** 3, chunkBytes: MiB });
  expect(begin.status).toBe(409);
  expect((await call(other, 'GET')).json()).toEqual({ state: 'running', committed: false });
});

it('refuses a disk larger than the signed plan and a spec other than the signed one, before writing anything', async () => {
  const spec = testSpec(3);
  const t = to(spec);
  const tooBig = await call(t, 'POST', '/begin', { spec, size: spec.limits.diskGb * 1024 ** 3 + 1, chunkBytes: MiB });
  expect(tooBig.status).toBe(400);
  const other = { ...spec, limits: { ...spec.limits, memoryMb: 65_536 } };
  expect((await call(t, 'POST', '/begin', { spec: other, size: MiB, chunkBytes: MiB })).status).toBe(403);
  expect(existsSync(`${storagePaths(path.join(dir, 'b')).image(spec.serverId)}.incoming`)).toBe(false);
  // Chunks belong to the operation that began the transfer.
  const began = await call(t, 'POST', '/begin', { spec, size: spec.limits.diskGb * 1024 ** 3, chunkBytes: MiB });
  expect(began.status).toBe(200);
  const stranger = to(spec);
  const put = await call(stranger, 'PUT', '/chunks/0', Buffer.alloc(MiB, 1), { 'x-berth-sha256': 'x'.repeat(64), 'content-type': 'application/octet-stream' });
  expect(put.status).toBe(409);
  expect((await call(t, 'DELETE')).status).toBe(204);
  expect(existsSync(`${storagePaths(path.join(dir, 'b')).image(spec.serverId)}.incoming`)).toBe(false);
});
