// Snapshots and manual backups through the real verbs on a real database: outbox rows, plan caps, the agent's
// reports, deletion of chains, and tenant isolation.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TDb } from '@berth/db';
import { createTestDatabase } from '@berth/db/testing';
import { applyFinished } from '../operations/apply-finished.ts';
import { attachDirTarget, expectAppError, makePlan, makePrincipal, makeWorld, runningServer } from '../testing/fixtures.ts';
import { applyBackupDeleted } from './apply-backup-deleted.ts';
import { getBackupSchedule, putBackupSchedule } from './backup-schedule.ts';
import { createBackup } from './create-backup.ts';
import { createSnapshot } from './create-snapshot.ts';
import { deleteBackup } from './delete-backup.ts';
import { deleteSnapshot } from './delete-snapshot.ts';
import { dispatchBackupDeletes } from './dispatch-backup-deletes.ts';
import { getBackup } from './get-backup.ts';
import { listBackups } from './list-backups.ts';
import { listSnapshots } from './list-snapshots.ts';
import { rescueServer } from './rescue-server.ts';
import { restoreBackup } from './restore-backup.ts';
import { restoreSnapshot } from './restore-snapshot.ts';
import { restoreToNewServer } from './restore-to-new-server.ts';

let t: Awaited<ReturnType<typeof createTestDatabase>>;
let db: TDb;
let w: Awaited<ReturnType<typeof makeWorld>>;
let targetId: string;

const SHA = (c: string) => c.repeat(64);
const GiB = 1024 ** 3;

beforeAll(async () => {
  t = await createTestDatabase();
  db = t.db;
  w = await makeWorld(db, { cidr: '198.18.4.0/24' });
  // A plan with room for two snapshots and two manual backups per server.
  w.plan = await db.plan.update({ where: { id: w.plan.id }, data: { maxSnapshots: 2, maxBackups: 2 } });
  ({ targetId } = await attachDirTarget(db, w.host.id, '/var/lib/berth-backups'));
});
afterAll(async () => t?.drop());

const newServer = () => runningServer(db, w);

/** The agent's final report for an operation, with what it produced. */
const report = (serverId: string, operationId: string, outcome: 'succeeded' | 'failed', result?: Record<string, string | number>, error: string | null = null) =>
  applyFinished({ db, event: { operationId, serverId, hostId: w.host.id, outcome, state: 'running', error, attempt: 1, ...(result ? { result } : {}) } });

const readyBackup = async (serverId: string, kind: 'full' | 'incremental', sha = 'a') => {
  const { backup, operation } = await createBackup({ db, principal: w.principal, serverId, input: { kind } });
  await report(serverId, operation.id, 'succeeded', { kind: backup.kind, manifestSha256: SHA(sha), diskBytes: 5 * GiB, dataBytes: 700_000_000, storedBytes: 300_000_000 });
  return backup;
};

const opsOf = (serverId: string, type: string) => db.operation.count({ where: { serverId, type: type as never } });

describe('snapshots', () => {
  it('writes the snapshot and its operation together, settles the agent\'s report, and holds the plan\'s cap', async () => {
    const s = await newServer();
    const { snapshot, operation } = await createSnapshot({ db, principal: w.principal, serverId: s.id, input: { name: 'before-upgrade' } });
    expect(snapshot).toMatchObject({ serverId: s.id, name: 'before-upgrade', status: 'creating', sizeBytes: null });
    expect(operation).toMatchObject({ type: 'snapshot', status: 'queued', serverId: s.id });
    expect((await db.operation.findUniqueOrThrow({ where: { id: operation.id } })).params).toMatchObject({ snapshotId: snapshot.id });
    expect(await db.snapshot.findUniqueOrThrow({ where: { id: snapshot.id } })).toMatchObject({ hostId: w.host.id, status: 'creating' });

    // Refused while the first runs, and the refusal leaves no snapshot row behind.
    await expectAppError(createSnapshot({ db, principal: w.principal, serverId: s.id, input: { name: 'second' } }), 'operation_in_progress');
    expect(await db.snapshot.count({ where: { serverId: s.id } })).toBe(1);

    await report(s.id, operation.id, 'succeeded', { sizeBytes: 123_456_789 });
    expect((await listSnapshots({ db, principal: w.principal, serverId: s.id })).data).toEqual([
      expect.objectContaining({ id: snapshot.id, status: 'ready', sizeBytes: 123_456_789 }),
    ]);

    // A failed one is marked so and does not count against the cap.
    const failed = await createSnapshot({ db, principal: w.principal, serverId: s.id, input: { name: 'frozen' } });
    await report(s.id, failed.operation.id, 'failed', undefined, 'fsfreeze: device busy');
    expect((await db.snapshot.findUniqueOrThrow({ where: { id: failed.snapshot.id } })).status).toBe('failed');
    const second = await createSnapshot({ db, principal: w.principal, serverId: s.id, input: { name: 'second' } });
    await report(s.id, second.operation.id, 'succeeded', { sizeBytes: 1 });

    const over = await expectAppError(createSnapshot({ db, principal: w.principal, serverId: s.id, input: { name: 'third' } }), 'quota_exceeded');
    expect(over.status).toBe(409);
    expect(await db.snapshot.count({ where: { serverId: s.id } })).toBe(3); // no row for the refused one
    expect(await opsOf(s.id, 'snapshot')).toBe(3); // and no operation either

    // Deleting one frees its place only once the agent has confirmed.
    const del = await deleteSnapshot({ db, principal: w.principal, snapshotId: snapshot.id });
    expect(del.operation).toMatchObject({ type: 'snapshot_delete', status: 'queued' });
    expect((await db.snapshot.findUniqueOrThrow({ where: { id: snapshot.id } })).status).toBe('deleting');
    await report(s.id, del.operation!.id, 'succeeded');
    expect((await listSnapshots({ db, principal: w.principal, serverId: s.id })).data.map((x) => [x.id, x.status])).toEqual([
      [second.snapshot.id, 'ready'], [failed.snapshot.id, 'failed'],
    ]);
    await expectAppError(restoreSnapshot({ db, principal: w.principal, snapshotId: snapshot.id }), 'not_found'); // deleted is gone
    await createSnapshot({ db, principal: w.principal, serverId: s.id, input: { name: 'third' } });
  });
});

describe('backups', () => {
  it('writes the backup and its operation together: a full first, then incrementals on it, sizes from the agent', async () => {
    const s = await newServer();
    const first = await createBackup({ db, principal: w.principal, serverId: s.id, input: { kind: 'incremental' } });
    expect(first.backup).toMatchObject({ serverId: s.id, kind: 'full', parentId: null, trigger: 'manual', status: 'queued', hostname: s.hostname, planId: w.plan.id });
    expect(first.operation).toMatchObject({ type: 'backup', status: 'queued', serverId: s.id });
    expect((await db.operation.findUniqueOrThrow({ where: { id: first.operation.id } })).params).toMatchObject({ backupId: first.backup.id });
    expect(await db.backup.findUniqueOrThrow({ where: { id: first.backup.id } })).toMatchObject({ operationId: first.operation.id, targetId, tenantId: w.principal.tenantId });

    await report(s.id, first.operation.id, 'succeeded', { kind: 'full', manifestSha256: SHA('a'), diskBytes: 5 * GiB, dataBytes: 700_000_000, storedBytes: 300_000_000 });
    const got = await getBackup({ db, principal: w.principal, backupId: first.backup.id });
    expect(got).toMatchObject({ status: 'ready', kind: 'full', diskBytes: 5 * GiB, dataBytes: 700_000_000, storedBytes: 300_000_000, error: null });
    expect(got.finishedAt).not.toBeNull();
    expect((await db.backup.findUniqueOrThrow({ where: { id: first.backup.id } })).manifestSha256).toBe(SHA('a'));
    expect((await db.server.findUniqueOrThrow({ where: { id: s.id } })).status).toBe('running');

    // An incremental builds on it; the agent could not use the parent and wrote a full: the row says so.
    const inc = await createBackup({ db, principal: w.principal, serverId: s.id, input: { kind: 'incremental' } });
    expect(inc.backup).toMatchObject({ kind: 'incremental', parentId: first.backup.id });
    await report(s.id, inc.operation.id, 'succeeded', { kind: 'full', manifestSha256: SHA('b'), diskBytes: 5 * GiB, dataBytes: 1, storedBytes: 1 });
    expect(await getBackup({ db, principal: w.principal, backupId: inc.backup.id })).toMatchObject({ status: 'ready', kind: 'full', parentId: null });

    const over = await expectAppError(createBackup({ db, principal: w.principal, serverId: s.id, input: { kind: 'full' } }), 'quota_exceeded');
    expect(over.status).toBe(409);
    expect(await db.backup.count({ where: { serverId: s.id } })).toBe(2);
    expect(await opsOf(s.id, 'backup')).toBe(2);
  });

  it('marks a backup failed when the agent fails it or reports no digest, and does not count it', async () => {
    const s = await newServer();
    const a = await createBackup({ db, principal: w.principal, serverId: s.id, input: { kind: 'full' } });
    await report(s.id, a.operation.id, 'failed', undefined, 'target full');
    expect(await getBackup({ db, principal: w.principal, backupId: a.backup.id })).toMatchObject({ status: 'failed', error: 'target full' });
    const b = await createBackup({ db, principal: w.principal, serverId: s.id, input: { kind: 'full' } });
    await report(s.id, b.operation.id, 'succeeded', { manifestSha256: 'not-a-digest', diskBytes: 1 });
    const row = await db.backup.findUniqueOrThrow({ where: { id: b.backup.id } });
    expect(row).toMatchObject({ status: 'failed', manifestSha256: null });
    expect(row.error).toMatch(/digest/);
    // Two failed backups leave the plan's two manual backups free.
    await readyBackup(s.id, 'full');
    await readyBackup(s.id, 'incremental');
  });

  it('refuses (409) to delete a backup an incremental builds on, until that one is deleted', async () => {
    const s = await newServer();
    const full = await readyBackup(s.id, 'full');
    const inc = await readyBackup(s.id, 'incremental', 'b');
    expect(inc).toMatchObject({ kind: 'incremental', parentId: full.id });

    const refused = await expectAppError(deleteBackup({ db, principal: w.principal, backupId: full.id }), 'conflict');
    expect(refused.status).toBe(409);
    expect(refused.message).toContain(inc.id);
    expect((await db.backup.findUniqueOrThrow({ where: { id: full.id } })).status).toBe('ready');

    expect(await deleteBackup({ db, principal: w.principal, backupId: inc.id })).toMatchObject({ id: inc.id, status: 'deleting' });
    await expectAppError(deleteBackup({ db, principal: w.principal, backupId: inc.id }), 'invalid_state');
    // Its chunks are still on the target until a host confirms: the parent stays protected meanwhile.
    await expectAppError(deleteBackup({ db, principal: w.principal, backupId: full.id }), 'conflict');

    const sent: { hostId: string; name: string; payload: unknown }[] = [];
    const publish = async (hostId: string, name: string, payload: unknown) => { sent.push({ hostId, name, payload }); };
    expect(await dispatchBackupDeletes({ db, publish })).toBe(1);
    expect(sent).toEqual([{ hostId: w.host.id, name: 'backup.delete@1', payload: { backupId: inc.id, serverId: s.id, target: { kind: 'dir', path: '/var/lib/berth-backups' } } }]);
    expect(await dispatchBackupDeletes({ db, publish })).toBe(0); // sent once, not again before the resend delay

    // Only a host attached to the backup's target can have deleted it.
    await applyBackupDeleted({ db, event: { backupId: inc.id, hostId: 'host_notattached1', outcome: 'succeeded', error: null } });
    expect((await db.backup.findUniqueOrThrow({ where: { id: inc.id } })).status).toBe('deleting');
    await applyBackupDeleted({ db, event: { backupId: inc.id, hostId: w.host.id, outcome: 'succeeded', error: null } });
    expect(await deleteBackup({ db, principal: w.principal, backupId: full.id })).toMatchObject({ status: 'deleting' });
    expect((await listBackups({ db, principal: w.principal, serverId: s.id })).data.map((b) => [b.id, b.status])).toEqual([[full.id, 'deleting']]);
  });
});

describe('tenancy', () => {
  it('another tenant gets not_found for every snapshot and backup verb, and changes nothing', async () => {
    const s = await newServer();
    const snap = await createSnapshot({ db, principal: w.principal, serverId: s.id, input: { name: 'mine' } });
    await report(s.id, snap.operation.id, 'succeeded', { sizeBytes: 10 });
    const backup = await readyBackup(s.id, 'full');
    const stranger = await makePrincipal(db, { scopes: ['servers:read', 'servers:write'] });
    const plan = await makePlan(db);
    const before = await db.operation.count({ where: { serverId: s.id } });

    const p = stranger;
    // [verb, call, whether the caller named only the snapshot/backup (then the error must not reveal its server)]
    const calls: [string, () => Promise<unknown>, boolean?][] = [
      ['listSnapshots', () => listSnapshots({ db, principal: p, serverId: s.id })],
      ['createSnapshot', () => createSnapshot({ db, principal: p, serverId: s.id, input: { name: 'theirs' } })],
      ['restoreSnapshot', () => restoreSnapshot({ db, principal: p, snapshotId: snap.snapshot.id }), true],
      ['deleteSnapshot', () => deleteSnapshot({ db, principal: p, snapshotId: snap.snapshot.id }), true],
      ['listBackups', () => listBackups({ db, principal: p, serverId: s.id, includeDeleted: true })],
      ['getBackup', () => getBackup({ db, principal: p, backupId: backup.id }), true],
      ['createBackup', () => createBackup({ db, principal: p, serverId: s.id, input: { kind: 'full' } })],
      ['deleteBackup', () => deleteBackup({ db, principal: p, backupId: backup.id }), true],
      ['restoreBackup', () => restoreBackup({ db, principal: p, backupId: backup.id }), true],
      ['restoreToNewServer', () => restoreToNewServer({ db, principal: p, backupId: backup.id, input: { planId: plan.id } }), true],
      ['getBackupSchedule', () => getBackupSchedule({ db, principal: p, serverId: s.id })],
      ['putBackupSchedule', () => putBackupSchedule({ db, principal: p, serverId: s.id, input: { enabled: true, hourUtc: 3, keepDaily: 7, keepWeekly: 4, fullEvery: 7 } })],
      ['rescueServer', () => rescueServer({ db, principal: p, serverId: s.id, input: { enabled: true } })],
    ];
    for (const [name, call, byChildId] of calls) {
      const err = await call().then(() => null, (e: { code?: string; message?: string }) => e);
      expect(err?.code, name).toBe('not_found');
      if (byChildId) expect(err?.message, name).not.toContain(s.id);
    }
    // An id that never existed answers the same.
    await expectAppError(getBackup({ db, principal: p, backupId: 'bkp_nosuchbackup0000000000' }), 'not_found');
    await expectAppError(deleteSnapshot({ db, principal: p, snapshotId: 'snap_nosuchsnapshot0000000' }), 'not_found');

    expect(await db.operation.count({ where: { serverId: s.id } })).toBe(before);
    expect(await db.server.count({ where: { tenantId: stranger.tenantId } })).toBe(0);
    expect(await db.backupSchedule.count({ where: { serverId: s.id } })).toBe(0);
    expect((await db.snapshot.findUniqueOrThrow({ where: { id: snap.snapshot.id } })).status).toBe('ready');
    expect((await db.backup.findUniqueOrThrow({ where: { id: backup.id } })).status).toBe('ready');
    expect((await listBackups({ db, principal: w.principal, serverId: s.id })).data.map((b) => b.id)).toEqual([backup.id]);
  });
});
