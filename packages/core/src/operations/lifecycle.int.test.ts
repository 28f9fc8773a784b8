import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TDb } from '@berth/db';
import { createTestDatabase } from '@berth/db/testing';
import { actOnServer } from '../servers/act-on-server.ts';
import { deleteServer } from '../servers/delete-server.ts';
import { getServer } from '../servers/get-server.ts';
import { applyProgress } from './apply-progress.ts';
import { getOperation } from './get-operation.ts';
import { createFor, expectAppError, finish, hostCounters, makeWorld } from '../testing/fixtures.ts';

let t: Awaited<ReturnType<typeof createTestDatabase>>;
let db: TDb;
let w: Awaited<ReturnType<typeof makeWorld>>;

beforeAll(async () => {
  t = await createTestDatabase();
  db = t.db;
  w = await makeWorld(db, { cidr: '198.18.0.0/24' });
});
afterAll(async () => {
  await t?.drop();
});

const op = (operationId: string) => getOperation({ db, principal: w.principal, operationId });
const status = async (serverId: string) => (await getServer({ db, principal: w.principal, serverId })).status;

describe('operation lifecycle through the real verbs', () => {
  it('creates, runs, stops, refuses bad transitions and destroys, freeing every resource', async () => {
    const { principal, host, plan } = w;
    const { server, operation: create } = await createFor(db, principal, plan.id, w.template.id);
    const at = (operationId: string) => ({ operationId, serverId: server.id, hostId: host.id });

    // One operation at a time per server.
    await expectAppError(actOnServer({ db, principal, serverId: server.id, action: { type: 'stop' } }), 'operation_in_progress');
    await expectAppError(deleteServer({ db, principal, serverId: server.id }), 'operation_in_progress');

    await applyProgress({ db, event: { ...at(create.id), step: 'image', progress: 40, attempt: 1 } });
    await applyProgress({ db, event: { ...at(create.id), step: 'image', progress: 10, attempt: 1 } }); // out of order
    const running = await op(create.id);
    expect(running).toMatchObject({ status: 'running', progress: 40, step: 'image', attempts: 1 });
    expect(running.startedAt).not.toBeNull();
    await expectAppError(actOnServer({ db, principal, serverId: server.id, action: { type: 'stop' } }), 'operation_in_progress');

    await finish(db, at(create.id), 'succeeded', { state: 'running' });
    expect(await status(server.id)).toBe('running');
    const done = await op(create.id);
    expect(done).toMatchObject({ status: 'succeeded', progress: 100, error: null });
    expect(done.finishedAt).not.toBeNull();

    // A redelivered report, even a contradicting one, changes nothing; a late progress does not reopen it.
    await finish(db, at(create.id), 'failed', { state: 'absent', error: 'late duplicate', attempt: 3 });
    await applyProgress({ db, event: { ...at(create.id), step: 'again', progress: 50, attempt: 2 } });
    expect(await op(create.id)).toEqual(done);
    expect(await status(server.id)).toBe('running');

    await expectAppError(actOnServer({ db, principal, serverId: server.id, action: { type: 'start' } }), 'invalid_state');

    const { operation: stop } = await actOnServer({ db, principal, serverId: server.id, action: { type: 'stop' } });
    expect(stop).toMatchObject({ type: 'stop', status: 'queued', serverId: server.id });
    await expectAppError(actOnServer({ db, principal, serverId: server.id, action: { type: 'restart' } }), 'operation_in_progress');
    // The stop failed but the agent saw the container still up: the server is running, not broken.
    await finish(db, at(stop.id), 'failed', { state: 'running', error: 'lxc-stop timed out', attempt: 3 });
    expect(await status(server.id)).toBe('running');
    expect(await op(stop.id)).toMatchObject({ status: 'failed', error: 'lxc-stop timed out', attempts: 3, progress: 0 });

    const { operation: destroy } = await deleteServer({ db, principal, serverId: server.id });
    expect(destroy).toMatchObject({ type: 'destroy', status: 'queued' });
    expect(await status(server.id)).toBe('deleting');
    await expectAppError(deleteServer({ db, principal, serverId: server.id }), 'operation_in_progress');

    const ip = await db.ipAddress.findUniqueOrThrow({ where: { serverId: server.id } });
    expect(await db.uidRange.count({ where: { serverId: server.id } })).toBe(1);
    await finish(db, at(destroy.id), 'succeeded', { state: 'absent' });

    const row = await db.server.findUniqueOrThrow({ where: { id: server.id } });
    expect(row.status).toBe('deleted');
    expect(row.deletedAt).toBeInstanceOf(Date);
    const freed = await db.ipAddress.findUniqueOrThrow({ where: { id: ip.id } });
    expect(freed.serverId).toBeNull();
    expect(freed.releasedAt).toBeInstanceOf(Date);
    expect(await db.uidRange.count({ where: { serverId: server.id } })).toBe(0);
    expect(await hostCounters(db, host.id)).toEqual({ cpu: 0, memoryMb: 0, diskGb: 0 });

    // A redelivered destroy must not give the capacity back twice.
    const other = await createFor(db, principal, plan.id, w.template.id);
    await finish(db, at(destroy.id), 'succeeded', { state: 'absent', attempt: 2 });
    expect(await hostCounters(db, host.id)).toEqual({ cpu: plan.cpuCores, memoryMb: plan.memoryMb, diskGb: plan.diskGb });
    await expectAppError(actOnServer({ db, principal, serverId: server.id, action: { type: 'start' } }), 'invalid_state');
    await expectAppError(deleteServer({ db, principal, serverId: server.id }), 'invalid_state');
    expect(other.server.ipv4).not.toBe(ip.address); // a never-used address is preferred over a just-released one
    expect((await db.uidRange.findFirstOrThrow({ where: { serverId: other.server.id } })).slot).toBe(0); // the freed slot is reused
  });

  it('marks a server whose create failed as error, and lets it be recovered or deleted', async () => {
    const { server, operation } = await createFor(db, w.principal, w.plan.id, w.template.id);
    await finish(db, { operationId: operation.id, serverId: server.id, hostId: w.host.id }, 'failed', { state: 'absent', error: 'image pull failed' });
    expect(await status(server.id)).toBe('error');
    expect(await op(operation.id)).toMatchObject({ status: 'failed', error: 'image pull failed' });
    // The failed server keeps its address and uid range until it is destroyed.
    expect(await db.ipAddress.count({ where: { serverId: server.id } })).toBe(1);
    expect(await db.uidRange.count({ where: { serverId: server.id } })).toBe(1);

    const { operation: start } = await actOnServer({ db, principal: w.principal, serverId: server.id, action: { type: 'start' } });
    await finish(db, { operationId: start.id, serverId: server.id, hostId: w.host.id }, 'failed', { state: 'stopped', error: 'no rootfs' });
    expect(await status(server.id)).toBe('stopped');

    const { operation: destroy } = await deleteServer({ db, principal: w.principal, serverId: server.id });
    await finish(db, { operationId: destroy.id, serverId: server.id, hostId: w.host.id }, 'failed', { state: null, error: 'busy' });
    expect(await status(server.id)).toBe('error');
  });

  it('refuses power actions from a principal without servers:write', async () => {
    const { server } = await createFor(db, w.principal, w.plan.id, w.template.id);
    const reader = { ...w.principal, scopes: ['servers:read'] };
    await expectAppError(actOnServer({ db, principal: reader, serverId: server.id, action: { type: 'stop' } }), 'forbidden');
    await expectAppError(deleteServer({ db, principal: reader, serverId: server.id }), 'forbidden');
  });

  it('lets exactly one of many concurrent actions on a server through', async () => {
    const { server, operation } = await createFor(db, w.principal, w.plan.id, w.template.id);
    await finish(db, { operationId: operation.id, serverId: server.id, hostId: w.host.id }, 'succeeded');
    const calls = [
      ...Array.from({ length: 8 }, (_, i) => () => actOnServer({ db, principal: w.principal, serverId: server.id, action: { type: i % 2 ? 'stop' : 'restart' } })),
      ...Array.from({ length: 4 }, () => () => deleteServer({ db, principal: w.principal, serverId: server.id })),
    ];
    const settled = await Promise.allSettled(calls.map((c) => c()));
    const ok = settled.filter((s) => s.status === 'fulfilled');
    const codes = settled.flatMap((s) => (s.status === 'rejected' ? [(s.reason as { code?: string }).code ?? String(s.reason)] : []));
    expect(ok).toHaveLength(1);
    expect(codes).toEqual(Array(11).fill('operation_in_progress'));
    expect(await db.operation.count({ where: { serverId: server.id, status: 'queued' } })).toBe(1);
  });
});
