// Rescue mode, backup schedules, retention after a scheduled backup and expiry after a server's deletion,
// through the real verbs on a real database (time is passed in as `now`; backups are back-dated to it).
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { TDb } from '@berth/db';
import { createTestDatabase } from '@berth/db/testing';
import { actOnServer } from '../servers/act-on-server.ts';
import { deleteServer } from '../servers/delete-server.ts';
import { getServer } from '../servers/get-server.ts';
import { reinstallServer } from '../servers/reinstall-server.ts';
import { resizeServer } from '../servers/resize-server.ts';
import { buildServerJob } from '../operations/build-server-job.ts';
import { attachDirTarget, expectAppError, finish, hostCounters, makePlan, makeWorld, nextHostname, runningServer } from '../testing/fixtures.ts';
import { putBackupSchedule } from './backup-schedule.ts';
import { createBackup } from './create-backup.ts';
import { createSnapshot } from './create-snapshot.ts';
import { deleteBackup } from './delete-backup.ts';
import { expireBackups } from './expire-backups.ts';
import { listBackups } from './list-backups.ts';
import { rescueServer } from './rescue-server.ts';
import { restoreBackup } from './restore-backup.ts';
import { restoreSnapshot } from './restore-snapshot.ts';
import { restoreToNewServer } from './restore-to-new-server.ts';
import { runBackupSchedules } from './run-backup-schedules.ts';
import { runBackupVerifications } from './run-backup-verifications.ts';

let t: Awaited<ReturnType<typeof createTestDatabase>>;
let db: TDb;
let w: Awaited<ReturnType<typeof makeWorld>>;

beforeAll(async () => {
  t = await createTestDatabase();
  db = t.db;
  w = await makeWorld(db, { cidr: '198.18.6.0/24', memoryMb: 65536, diskGb: 2000 });
  await attachDirTarget(db, w.host.id, '/srv/backups');
});
// Each test's `now` is its own: schedules left on would be due in the next test's runs.
afterEach(async () => { await db.backupSchedule.updateMany({ data: { enabled: false, nextRunAt: null, verifyNextAt: null } }); });
afterAll(async () => t?.drop());

const at = (iso: string) => new Date(iso);
const p = () => w.principal;
const newServer = () => runningServer(db, w);
const report = (serverId: string, operationId: string, outcome: 'succeeded' | 'failed', result?: Record<string, string | number>, state: 'running' | 'stopped' | 'absent' = 'running') =>
  finish(db, { operationId, serverId, hostId: w.host.id }, outcome, { state, error: outcome === 'failed' ? 'boom' : null, result });
const settleBackup = (serverId: string, b: { id: string; kind: string; operationId: string | null }) =>
  report(serverId, b.operationId!, 'succeeded', { kind: b.kind, manifestSha256: 'c'.repeat(64), diskBytes: 1e9, dataBytes: 1e8, storedBytes: 5e7 });
const schedule = (serverId: string, now: Date, over: Partial<{ enabled: boolean; hourUtc: number; keepDaily: number; keepWeekly: number; fullEvery: number }> = {}) =>
  putBackupSchedule({ db, principal: p(), serverId, now, input: { enabled: true, hourUtc: 3, keepDaily: 7, keepWeekly: 4, fullEvery: 7, ...over } });
const scheduleRow = (serverId: string) => db.backupSchedule.findUniqueOrThrow({ where: { serverId } });
const backupsOf = (serverId: string) => db.backup.findMany({ where: { serverId }, orderBy: { createdAt: 'asc' } });

describe('rescue mode', () => {
  it('blocks snapshots, backups, restores, resize and reinstall, allows power actions and leaving it', async () => {
    const s = await newServer();
    const snap = await createSnapshot({ db, principal: p(), serverId: s.id, input: { name: 'pre' } });
    await report(s.id, snap.operation.id, 'succeeded', { sizeBytes: 1 });
    const { backup, operation } = await createBackup({ db, principal: p(), serverId: s.id, input: { kind: 'full' } });
    await settleBackup(s.id, { ...backup, operationId: operation.id });
    await schedule(s.id, at('2032-01-01T00:00:00Z'));
    const { rootPasswordHash } = await db.server.findUniqueOrThrow({ where: { id: s.id } });

    const { operation: rescue } = await rescueServer({ db, principal: p(), serverId: s.id, input: { enabled: true } });
    expect(rescue).toMatchObject({ type: 'rescue', status: 'queued' });
    await report(s.id, rescue.id, 'succeeded');
    expect(await getServer({ db, principal: p(), serverId: s.id })).toMatchObject({ rescue: true, status: 'running' });

    const bigger = await makePlan(db, { memoryMb: 2048, diskGb: 20 });
    const counters = await hostCounters(db, w.host.id);
    const ops = await db.operation.count({ where: { serverId: s.id } });
    await expectAppError(rescueServer({ db, principal: p(), serverId: s.id, input: { enabled: true } }), 'invalid_state');
    await expectAppError(createSnapshot({ db, principal: p(), serverId: s.id, input: { name: 'x' } }), 'invalid_state');
    await expectAppError(restoreSnapshot({ db, principal: p(), snapshotId: snap.snapshot.id }), 'invalid_state');
    await expectAppError(createBackup({ db, principal: p(), serverId: s.id, input: { kind: 'full' } }), 'invalid_state');
    await expectAppError(restoreBackup({ db, principal: p(), backupId: backup.id }), 'invalid_state');
    await expectAppError(resizeServer({ db, principal: p(), serverId: s.id, input: { planId: bigger.id } }), 'invalid_state');
    await expectAppError(reinstallServer({ db, principal: p(), serverId: s.id, input: { rootPassword: 'new-password-1' } }), 'invalid_state');
    // The schedule does not back it up either: it tries again the next day.
    expect(await runBackupSchedules({ db, now: at('2032-01-01T03:30:00Z') })).toBe(0);
    expect((await scheduleRow(s.id)).nextRunAt).toEqual(at('2032-01-02T03:00:00Z'));
    // The refusals left nothing: no operation, no row, no reservation, no new password.
    expect(await db.operation.count({ where: { serverId: s.id } })).toBe(ops);
    expect(await db.snapshot.count({ where: { serverId: s.id } })).toBe(1);
    expect(await db.backup.count({ where: { serverId: s.id } })).toBe(1);
    expect(await hostCounters(db, w.host.id)).toEqual(counters);
    expect((await db.server.findUniqueOrThrow({ where: { id: s.id } })).rootPasswordHash).toBe(rootPasswordHash);

    const stop = await actOnServer({ db, principal: p(), serverId: s.id, action: { type: 'stop' } });
    await report(s.id, stop.operation.id, 'succeeded', undefined, 'stopped');
    const start = await actOnServer({ db, principal: p(), serverId: s.id, action: { type: 'start' } });
    await report(s.id, start.operation.id, 'succeeded');
    expect(await getServer({ db, principal: p(), serverId: s.id })).toMatchObject({ rescue: true, status: 'running' });

    const { operation: leave } = await rescueServer({ db, principal: p(), serverId: s.id, input: { enabled: false } });
    expect(leave).toMatchObject({ type: 'unrescue', status: 'queued' });
    await report(s.id, leave.id, 'succeeded');
    expect(await getServer({ db, principal: p(), serverId: s.id })).toMatchObject({ rescue: false, status: 'running' });
    expect((await createSnapshot({ db, principal: p(), serverId: s.id, input: { name: 'after' } })).operation.type).toBe('snapshot');
  });

  it('a failed rescue leaves the server out of rescue', async () => {
    const s = await newServer();
    const { operation } = await rescueServer({ db, principal: p(), serverId: s.id, input: { enabled: true } });
    await report(s.id, operation.id, 'failed');
    expect((await db.server.findUniqueOrThrow({ where: { id: s.id } })).rescueAt).toBeNull();
  });
});

describe('backup schedules', () => {
  it('queues only due, enabled schedules, advances next_run_at, and retries a busy server ten minutes later', async () => {
    const [a, b, c, busy, gone] = [await newServer(), await newServer(), await newServer(), await newServer(), await newServer()];
    const t0 = at('2030-03-01T05:00:00Z');
    expect((await schedule(a.id, t0)).nextRunAt).toBe('2030-03-02T03:00:00.000Z');
    await schedule(b.id, at('2030-03-02T00:00:00Z'), { hourUtc: 4 }); // due at 04:00, after the run
    await schedule(c.id, t0);
    expect((await schedule(c.id, t0, { enabled: false })).nextRunAt).toBeNull();
    await schedule(busy.id, t0);
    await schedule(gone.id, t0);
    const snap = await createSnapshot({ db, principal: p(), serverId: busy.id, input: { name: 'in-flight' } });
    await deleteServer({ db, principal: p(), serverId: gone.id });

    const run = at('2030-03-02T03:30:00Z');
    expect(await runBackupSchedules({ db, now: run })).toBe(1);
    const [queued] = await backupsOf(a.id);
    expect(queued).toMatchObject({ trigger: 'schedule', kind: 'full', parentId: null, status: 'queued' });
    expect(await db.operation.findUniqueOrThrow({ where: { id: queued!.operationId! } })).toMatchObject({ type: 'backup', status: 'queued', userId: null });
    expect(await scheduleRow(a.id)).toMatchObject({ nextRunAt: at('2030-03-03T03:00:00Z'), lastRunAt: run, enabled: true });
    for (const id of [b.id, c.id, busy.id, gone.id]) expect(await db.backup.count({ where: { serverId: id } }), id).toBe(0);
    expect((await scheduleRow(b.id)).nextRunAt).toEqual(at('2030-03-02T04:00:00Z'));
    expect(await scheduleRow(c.id)).toMatchObject({ enabled: false, nextRunAt: null });
    expect((await scheduleRow(busy.id)).nextRunAt).toEqual(at('2030-03-02T03:40:00Z'));
    expect(await scheduleRow(gone.id)).toMatchObject({ enabled: false, nextRunAt: null });

    // Run again at once: nothing is due any more.
    expect(await runBackupSchedules({ db, now: run })).toBe(0);
    expect(await db.backup.count({ where: { serverId: a.id } })).toBe(1);

    // Once the snapshot is done, the busy server's retry goes through.
    await report(busy.id, snap.operation.id, 'succeeded', { sizeBytes: 1 });
    expect(await runBackupSchedules({ db, now: at('2030-03-02T03:41:00Z') })).toBe(1);
    expect(await db.backup.count({ where: { serverId: busy.id, trigger: 'schedule' } })).toBe(1);
    expect((await scheduleRow(busy.id)).nextRunAt).toEqual(at('2030-03-03T03:00:00Z'));
  });

  it('chains scheduled backups (full every N), then retention keeps the window, chains, pins and manual ones', async () => {
    const s = await newServer();
    // A manual full from long ago: never a scheduled backup's parent, never removed by retention.
    const m0 = await createBackup({ db, principal: p(), serverId: s.id, input: { kind: 'full' } });
    await db.backup.update({ where: { id: m0.backup.id }, data: { createdAt: at('2030-12-25T12:00:00Z') } });
    await settleBackup(s.id, { ...m0.backup, operationId: m0.operation.id });
    await schedule(s.id, at('2031-01-01T00:00:00Z'), { keepDaily: 1, keepWeekly: 0, fullEvery: 1 });

    const day = async (n: number) => {
      const now = at(`2031-01-0${n}T03:30:00Z`);
      expect(await runBackupSchedules({ db, now }), `day ${n}`).toBe(1);
      const b = await db.backup.findFirstOrThrow({ where: { serverId: s.id, status: 'queued' } });
      await db.backup.update({ where: { id: b.id }, data: { createdAt: now } });
      await settleBackup(s.id, b);
      return b;
    };
    const status = async () => Object.fromEntries((await backupsOf(s.id)).map((b) => [b.id, b.status]));

    const s1 = await day(1);
    expect(s1).toMatchObject({ kind: 'full', parentId: null, trigger: 'schedule' });
    const s2 = await day(2);
    expect(s2).toMatchObject({ kind: 'incremental', parentId: s1.id });
    expect((await status())[s1.id]).toBe('ready'); // day 1 is outside keepDaily 1, but s2 builds on it

    // A customer's incremental on the newest scheduled backup pins it (and its chain).
    const m2 = await createBackup({ db, principal: p(), serverId: s.id, input: { kind: 'incremental' } });
    expect(m2.backup.parentId).toBe(s2.id);
    await db.backup.update({ where: { id: m2.backup.id }, data: { createdAt: at('2031-01-02T04:00:00Z') } });
    await settleBackup(s.id, { ...m2.backup, operationId: m2.operation.id });

    const s3 = await day(3); // fullEvery 1: after one incremental, a full
    expect(s3).toMatchObject({ kind: 'full', parentId: null });
    expect(await status()).toEqual({ [m0.backup.id]: 'ready', [s1.id]: 'ready', [s2.id]: 'ready', [m2.backup.id]: 'ready', [s3.id]: 'ready' });

    await deleteBackup({ db, principal: p(), backupId: m2.backup.id });
    const s4 = await day(4);
    expect(s4).toMatchObject({ kind: 'incremental', parentId: s3.id });
    expect(await status()).toEqual({
      [m0.backup.id]: 'ready', [s1.id]: 'deleting', [s2.id]: 'deleting', [m2.backup.id]: 'deleting', [s3.id]: 'ready', [s4.id]: 'ready',
    });
    expect(await db.auditEvent.findFirst({ where: { action: 'backup.retention', targetId: s.id }, orderBy: { createdAt: 'desc' } }))
      .toMatchObject({ actorId: null, data: { backupIds: expect.arrayContaining([s1.id, s2.id]) } });
    const listed = (await listBackups({ db, principal: p(), serverId: s.id })).data;
    expect(listed.filter((b) => b.status === 'ready').map((b) => b.id)).toEqual([s4.id, s3.id, m0.backup.id]);

    // A backup being restored into a new server stays until that create has ended, though retention drops it.
    const restored = await restoreToNewServer({ db, principal: p(), backupId: s3.id, input: { hostname: nextHostname() } });
    const s5 = await day(5);
    expect(s5).toMatchObject({ kind: 'full', parentId: null });
    expect((await status())[s3.id]).toBe('ready');
    expect((await status())[s4.id]).toBe('deleting');
    expect((await buildServerJob({ db, operationId: restored.operation.id }))?.restore?.backup.backupId).toBe(s3.id);
    await finish(db, { operationId: restored.operation.id, serverId: restored.server.id, hostId: w.host.id }, 'succeeded', { state: 'running' });
    await day(6);
    expect((await status())[s3.id]).toBe('deleting');
  });
});

describe('a deleted server\'s backups', () => {
  it('are kept (listed, schedule off, snapshots gone) until they expire, then all go to the deletion outbox', async () => {
    const [x, y] = [await newServer(), await newServer()];
    const ready = await createBackup({ db, principal: p(), serverId: x.id, input: { kind: 'full' } });
    await settleBackup(x.id, { ...ready.backup, operationId: ready.operation.id });
    const failed = await createBackup({ db, principal: p(), serverId: x.id, input: { kind: 'full' } });
    await report(x.id, failed.operation.id, 'failed');
    const snap = await createSnapshot({ db, principal: p(), serverId: x.id, input: { name: 's' } });
    await report(x.id, snap.operation.id, 'succeeded', { sizeBytes: 1 });
    const other = await createBackup({ db, principal: p(), serverId: y.id, input: { kind: 'full' } });
    await settleBackup(y.id, { ...other.backup, operationId: other.operation.id });
    await schedule(x.id, new Date());

    const before = Date.now();
    const destroy = await deleteServer({ db, principal: p(), serverId: x.id });
    await report(x.id, destroy.operation.id, 'succeeded', undefined, 'absent');
    const rows = await backupsOf(x.id);
    for (const b of rows) {
      expect(b.expiresAt!.getTime() - before).toBeGreaterThanOrEqual(30 * 86_400_000 - 1000);
      expect(b.expiresAt!.getTime() - Date.now()).toBeLessThanOrEqual(30 * 86_400_000);
    }
    expect(await scheduleRow(x.id)).toMatchObject({ enabled: false, nextRunAt: null });
    expect((await db.snapshot.findUniqueOrThrow({ where: { id: snap.snapshot.id } })).status).toBe('deleted');
    expect((await listBackups({ db, principal: p(), serverId: x.id })).data.map((b) => b.id).sort()).toEqual([ready.backup.id, failed.backup.id].sort());

    expect(await expireBackups({ db, now: new Date() })).toBe(0);
    expect(await expireBackups({ db, now: new Date(Date.now() + 29 * 86_400_000) })).toBe(0);
    expect(await expireBackups({ db, now: new Date(Date.now() + 31 * 86_400_000) })).toBe(2);
    expect((await backupsOf(x.id)).map((b) => [b.status, b.deleteDispatchedAt])).toEqual([['deleting', null], ['deleting', null]]);
    expect((await db.backup.findUniqueOrThrow({ where: { id: other.backup.id } })).status).toBe('ready');
    expect(await expireBackups({ db, now: new Date(Date.now() + 31 * 86_400_000) })).toBe(0);
  });
});

describe('scheduled verification of the newest backup', () => {
  const HOUR = 3_600_000;
  const verifyAt = async (serverId: string) => (await scheduleRow(serverId)).verifyNextAt;

  it('is due within a week after the first scheduled run, spread by server; kept while the schedule is on, cleared when off', async () => {
    const servers = await Promise.all(Array.from({ length: 6 }, () => newServer()));
    const t0 = at('2031-05-01T05:00:00Z');
    const first = at('2031-05-02T03:00:00Z').getTime();
    const offsets = new Set<number>();
    for (const x of servers) {
      const dto = await schedule(x.id, t0);
      const off = new Date(dto.nextVerifyAt!).getTime() - first;
      expect(off % HOUR).toBe(0);
      expect(off).toBeGreaterThanOrEqual(2 * HOUR);
      expect(off).toBeLessThan((2 + 168) * HOUR);
      expect((await schedule(x.id, t0)).nextVerifyAt).toBe(dto.nextVerifyAt); // the same server, the same place
      offsets.add(off);
    }
    expect(offsets.size).toBeGreaterThan(1); // spread, not all at one instant
    const x = servers[0]!;
    await db.backupSchedule.update({ where: { serverId: x.id }, data: { verifyNextAt: at('2031-05-04T00:00:00Z') } });
    expect((await schedule(x.id, t0, { keepDaily: 5 })).nextVerifyAt).toBe('2031-05-04T00:00:00.000Z'); // changed while on: kept
    expect((await schedule(x.id, t0, { enabled: false })).nextVerifyAt).toBeNull();
    expect(await verifyAt(x.id)).toBeNull();
  });

  it('verifies the newest backup every N days; busy servers retry in ten minutes; no backup or a suspended tenant waits a period; deleted ones drop out', async () => {
    const [a, busy, empty, gone, off, broke] = [await newServer(), await newServer(), await newServer(), await newServer(), await newServer(), await newServer()];
    const t0 = at('2031-06-01T05:00:00Z');
    const withBackup = async (serverId: string, kind: 'full' | 'incremental' = 'full') => {
      const b = await createBackup({ db, principal: p(), serverId, input: { kind } });
      await settleBackup(serverId, { ...b.backup, operationId: b.operation.id });
      return b.backup;
    };
    for (const x of [a, busy, empty, gone, off, broke]) await schedule(x.id, t0);
    await withBackup(a.id);
    const newest = await withBackup(a.id, 'incremental');
    const bb = await withBackup(busy.id);
    for (const x of [gone, off, broke]) await withBackup(x.id);
    const snap = await createSnapshot({ db, principal: p(), serverId: busy.id, input: { name: 'in-flight' } });
    // The broke server's own tenant, suspended for non-payment (its servers are still to be stopped).
    const brokeTenant = await makeWorld(db, { cidr: '198.18.7.0/24' });
    await db.server.update({ where: { id: broke.id }, data: { tenantId: brokeTenant.principal.tenantId } });
    await db.tenant.update({ where: { id: brokeTenant.principal.tenantId }, data: { suspendedAt: t0 } });
    // All due at one instant (the test's choice), so the runs below are about what each one is.
    const due = at('2031-06-02T10:00:00Z');
    await db.backupSchedule.updateMany({ where: { serverId: { in: [a, busy, empty, gone, off, broke].map((x) => x.id) } }, data: { verifyNextAt: due } });
    // A schedule switched off while due, and a server deleted while due (its schedule goes off with it).
    await schedule(off.id, t0, { enabled: false });
    const destroy = await deleteServer({ db, principal: p(), serverId: gone.id });
    await report(gone.id, destroy.operation.id, 'succeeded', undefined, 'absent');
    expect(await verifyAt(gone.id)).toBeNull();

    expect(await runBackupVerifications({ db, everyDays: 7, now: new Date(due.getTime() - 60_000) })).toBe(0); // not yet
    const run = new Date(due.getTime() + 60_000);
    expect(await runBackupVerifications({ db, everyDays: 7, now: run })).toBe(1);
    const op = await db.operation.findFirstOrThrow({ where: { serverId: a.id, type: 'backup_verify' } });
    expect(op).toMatchObject({ status: 'queued', userId: null, params: { backupId: newest.id } }); // the newest, by the platform
    expect(await verifyAt(a.id)).toEqual(new Date(run.getTime() + 7 * 86_400_000));
    expect(await verifyAt(busy.id)).toEqual(new Date(run.getTime() + 10 * 60_000));
    expect(await verifyAt(empty.id)).toEqual(new Date(run.getTime() + 7 * 86_400_000));
    expect(await verifyAt(broke.id)).toEqual(new Date(run.getTime() + 7 * 86_400_000));
    expect(await verifyAt(off.id)).toBeNull();
    expect(await db.operation.count({ where: { serverId: { in: [busy, empty, gone, off, broke].map((x) => x.id) }, type: 'backup_verify' } })).toBe(0);
    expect(await runBackupVerifications({ db, everyDays: 7, now: run })).toBe(0); // nothing due any more

    // The verify passes: the backup is stamped. The busy server's retry goes through once the snapshot is done.
    await report(a.id, op.id, 'succeeded', { checkedChunks: 2, checkedBytes: 2 * 1048576 });
    expect((await db.backup.findUniqueOrThrow({ where: { id: newest.id } })).verifiedAt).toBeInstanceOf(Date);
    await report(busy.id, snap.operation.id, 'succeeded', { sizeBytes: 1 });
    expect(await runBackupVerifications({ db, everyDays: 7, now: new Date(run.getTime() + 11 * 60_000) })).toBe(1);
    expect(await db.operation.count({ where: { serverId: busy.id, type: 'backup_verify', params: { path: ['backupId'], equals: bb.id } } })).toBe(1);
  });
});
