import { afterAll, beforeAll, expect, it } from 'vitest';
import { newId, type THostInventoryEvent, type TServerState } from '@berth/contracts';
import type { TDb } from '@berth/db';
import { createTestDatabase } from '@berth/db/testing';
import type { TJobName } from '@berth/jobs';
import { actOnServer } from '../servers/act-on-server.ts';
import { deleteServer } from '../servers/delete-server.ts';
import { createFor, expectAppError, finish, makeHost, makePrincipal, makeWorld } from '../testing/fixtures.ts';
import { applyQuarantineFinished } from './apply-quarantine-finished.ts';
import { convergeHost } from './converge-host.ts';
import { dispatchQuarantines } from './dispatch-quarantines.ts';
import { listQuarantinedContainers } from './list-quarantined-containers.ts';
import { schedulePurges } from './schedule-purges.ts';

// Real Postgres; the agent's side is its events (inventory reports, quarantine.finished@1).
let t: Awaited<ReturnType<typeof createTestDatabase>>;
let db: TDb;
let w: Awaited<ReturnType<typeof makeWorld>>;
beforeAll(async () => {
  t = await createTestDatabase();
  db = t.db;
  w = await makeWorld(db);
});
afterAll(async () => t?.drop());

const sent: { hostId: string; name: TJobName; payload: Record<string, unknown>; jobId: string }[] = [];
const publish = async (hostId: string, name: TJobName, payload: unknown, jobId: string) => void sent.push({ hostId, name, payload: payload as Record<string, unknown>, jobId });

const running = async () => {
  const { server, operation } = await createFor(db, w.principal, w.plan.id, w.template.id);
  await finish(db, { operationId: operation.id, serverId: server.id, hostId: w.host.id }, 'succeeded', { state: 'running' });
  return server.id;
};
const stopped = async () => {
  const id = await running();
  const op = (await actOnServer({ db, principal: w.principal, serverId: id, action: { type: 'stop' } })).operation;
  await finish(db, { operationId: op.id, serverId: id, hostId: w.host.id }, 'succeeded', { state: 'stopped' as TServerState });
  return id;
};
const deleted = async () => {
  const id = await running();
  const op = (await deleteServer({ db, principal: w.principal, serverId: id })).operation;
  await finish(db, { operationId: op.id, serverId: id, hostId: w.host.id }, 'succeeded', { state: 'absent' });
  return id;
};
// Every container marked as this agent's (unmarked ones only ever go to an admin: decide-orphans.test.ts).
const report = (servers: THostInventoryEvent['servers'], orphanImages: string[] = [], hostId = w.host.id, at = new Date()): THostInventoryEvent =>
  ({ hostId, at: at.toISOString(), servers, orphanImages, unmarked: [] });
const findings = async (serverId: string) => db.quarantinedContainer.findMany({ where: { serverId }, orderBy: { createdAt: 'asc' } });

it('quarantines what no server owns, sends an admin what it cannot decide, and leaves busy servers alone', async () => {
  const other = await makeHost(db, { cidr: '10.9.0.0/29', status: 'maintenance' }); // placement never picks it
  const noRow = newId('server');
  const gone = await deleted();
  const stale = await running(); // migrated to the other host; a stopped copy stayed here
  const staleRunning = await running(); // migrated away, yet a copy runs here: maybe the live one
  const lostThere = await running(); // lives on the other host, in error there: this copy may be the only one
  await db.server.updateMany({ where: { id: { in: [stale, staleRunning, lostThere] } }, data: { hostId: other.id } });
  await db.server.update({ where: { id: lostThere }, data: { status: 'error' } });
  const busy = await running();
  await actOnServer({ db, principal: w.principal, serverId: busy, action: { type: 'stop' } }); // queued: left to it
  const diskOnly = await running(); // its container config is gone, its disk is still here
  const userStopped = await stopped();
  const vanished = await stopped(); // stopped, and its container is gone too
  const before = new Date();
  const movedJustNow = await running(); // its operation ended after the report was taken

  const event = report([
    { serverId: noRow, state: 'stopped' }, { serverId: gone, state: 'stopped' }, { serverId: stale, state: 'stopped' },
    { serverId: staleRunning, state: 'running' }, { serverId: lostThere, state: 'stopped' }, { serverId: busy, state: 'running' },
    { serverId: userStopped, state: 'stopped' },
  ], [diskOnly, movedJustNow]);
  const r = await convergeHost({ db, event: { ...event, at: before.toISOString() } });
  expect(r.quarantine.sort()).toEqual([noRow, gone, stale].sort());
  expect(r.needsAdmin.sort()).toEqual([staleRunning, lostThere, diskOnly].sort());
  // (c) a server the panel places here whose container is absent is flagged, never re-created.
  expect(r.lost.sort()).toEqual([diskOnly, vanished].sort());
  expect(r.started).toEqual([]);
  expect((await db.server.findUniqueOrThrow({ where: { id: vanished } })).status).toBe('error');
  expect(await db.auditEvent.count({ where: { action: 'server.lost', targetId: vanished } })).toBe(1);
  expect(await findings(busy)).toEqual([]);
  expect(await findings(movedJustNow)).toEqual([]);
  expect(await findings(userStopped)).toEqual([]);
  expect((await findings(stale))[0]).toMatchObject({ status: 'pending', found: 'stopped', hostId: w.host.id, reason: expect.stringContaining(other.id) });
  expect((await findings(staleRunning))[0]).toMatchObject({ status: 'needs_admin', found: 'running' });
  expect((await findings(diskOnly))[0]).toMatchObject({ status: 'needs_admin', found: 'image' });
  expect(await db.auditEvent.count({ where: { action: 'reconcile.quarantine', targetId: noRow } })).toBe(1);

  // The next periodic report sees the same: nothing is recorded twice, nothing deleted, no server touched.
  const again = await convergeHost({ db, event: report(event.servers, event.orphanImages) });
  expect(again.quarantine.sort()).toEqual([noRow, gone, stale].sort());
  // movedJustNow's operation is now older than the report: judged this time (a disk, no container: an admin's).
  expect(again.needsAdmin).toContain(movedJustNow);
  expect(await db.quarantinedContainer.count({ where: { hostId: w.host.id } })).toBe(7);
  expect(await db.auditEvent.count({ where: { action: 'reconcile.quarantine', targetId: noRow } })).toBe(1);

  // The outbox of quarantines: one job per finding on this host's queue, keyed by the finding's id.
  expect(await dispatchQuarantines({ db, publish })).toBe(3);
  expect(await dispatchQuarantines({ db, publish })).toBe(0);
  expect(sent.map((s) => [s.hostId, s.name, s.payload.serverId]).sort()).toEqual(
    [noRow, gone, stale].sort().map((id) => [w.host.id, 'server.quarantine@1', id]),
  );
  const job = sent.find((s) => s.payload.serverId === stale)!;
  expect(job.jobId).toBe(job.payload.quarantineId);
  expect(job.payload.stamp).toMatch(/^\d{8}T\d{6}Z$/);

  // A needs_admin case the host no longer shows (an admin removed the copy) is resolved.
  await convergeHost({ db, event: report(event.servers.filter((s) => s.serverId !== staleRunning), event.orphanImages) });
  expect((await findings(staleRunning))[0]!.status).toBe('resolved');
  expect((await findings(lostThere))[0]!.status).toBe('needs_admin');
});

it('keeps a quarantined copy for the grace period, then purges it; reports are idempotent and host-bound', async () => {
  sent.length = 0;
  const id = newId('server');
  await convergeHost({ db, event: report([{ serverId: id, state: 'running' }]) });
  await dispatchQuarantines({ db, publish });
  const { payload } = sent.find((s) => s.payload.serverId === id)!;
  const quarantineId = payload.quarantineId as string;
  const location = `${id}-${payload.stamp as string}`;
  const done = { quarantineId, serverId: id, hostId: w.host.id, action: 'quarantine' as const, outcome: 'succeeded' as const, location, moved: ['container' as const, 'image' as const], error: null };
  const now = new Date();
  await applyQuarantineFinished({ db, event: { ...done, hostId: newId('host') }, purgeAfterHours: 168, now }); // another host: dropped
  expect((await findings(id))[0]!.status).toBe('pending');
  await applyQuarantineFinished({ db, event: done, purgeAfterHours: 168, now });
  await applyQuarantineFinished({ db, event: done, purgeAfterHours: 1, now }); // redelivered: no change
  const q = (await findings(id))[0]!;
  expect(q).toMatchObject({ status: 'quarantined', location });
  expect(q.purgeAfter!.getTime() - now.getTime()).toBe(168 * 3_600_000);
  // Once it is gone from the host, the next report records nothing new for it.
  await convergeHost({ db, event: report([]) });
  expect(await findings(id)).toHaveLength(1);

  expect(await schedulePurges({ db, now: new Date(now.getTime() + 167 * 3_600_000) })).toEqual([]);
  expect(await schedulePurges({ db, now: new Date(now.getTime() + 169 * 3_600_000) })).toEqual([quarantineId]);
  sent.length = 0;
  await dispatchQuarantines({ db, publish });
  expect(sent).toEqual([{ hostId: w.host.id, name: 'quarantine.purge@1', payload: { quarantineId, serverId: id, location }, jobId: `${quarantineId}-purge` }]);
  await applyQuarantineFinished({ db, event: { ...done, action: 'purge', moved: [] }, purgeAfterHours: 168 });
  expect((await findings(id))[0]).toMatchObject({ status: 'purged', purgedAt: expect.any(Date) });

  // A container that was already gone when the agent looked: nothing to keep.
  const vanishing = newId('server');
  await convergeHost({ db, event: report([{ serverId: vanishing, state: 'stopped' }]) });
  const row = (await findings(vanishing))[0]!;
  await applyQuarantineFinished({ db, event: { ...done, quarantineId: row.id, serverId: vanishing, location: null, moved: [] }, purgeAfterHours: 168 });
  expect((await findings(vanishing))[0]!.status).toBe('gone');
});

it('drops a decided quarantine whose server got an operation before it was sent', async () => {
  const id = await running();
  await db.server.update({ where: { id }, data: { hostId: (await makeHost(db, { cidr: '10.9.1.0/29', status: 'maintenance' })).id } });
  await convergeHost({ db, event: report([{ serverId: id, state: 'stopped' }]) });
  expect((await findings(id))[0]!.status).toBe('pending');
  await actOnServer({ db, principal: w.principal, serverId: id, action: { type: 'stop' } });
  sent.length = 0;
  await dispatchQuarantines({ db, publish });
  expect(sent).toEqual([]);
  expect((await findings(id))[0]).toMatchObject({ status: 'resolved', error: expect.stringContaining('began on the server') });
});

it('lists findings for admins only', async () => {
  const admin = await makePrincipal(db, { role: 'admin', scopes: ['admin:*'] });
  // An empty report (earlier test) resolved every needs_admin case of the host.
  const page = await listQuarantinedContainers({ db, principal: admin, query: { limit: 2, status: 'resolved', hostId: w.host.id } });
  expect(page.data).toHaveLength(2);
  expect(page.data.every((f) => f.status === 'resolved' && f.foundAt && f.reason)).toBe(true);
  const rest = await listQuarantinedContainers({ db, principal: admin, query: { limit: 50, status: 'resolved', hostId: w.host.id, cursor: page.nextCursor! } });
  expect(rest.data.map((f) => f.id)).not.toContain(page.data[0]!.id);
  await expectAppError(listQuarantinedContainers({ db, principal: w.principal }), 'forbidden');
});
