// A backup outlives what reads it (a restore, a create from it), on a real database: deletion and expiry wait
// for the reader, a reader or an incremental racing a deletion sees it, deletions of a target no online host
// reaches do not hold up the others, and a create from a backup gone meanwhile ends in error.
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '@berth/contracts';
import type { TDb } from '@berth/db';
import { createTestDatabase } from '@berth/db/testing';
import { applyFinished } from '../operations/apply-finished.ts';
import { buildServerJob } from '../operations/build-server-job.ts';
import { dispatchOutbox } from '../operations/dispatch-outbox.ts';
import { deleteServer } from '../servers/delete-server.ts';
import { attachDirTarget, expectAppError, finish, hostCounters, makeHost, makePrincipal, makeWorld, nextHostname, runningServer } from '../testing/fixtures.ts';
import { attachBackupTarget, createBackupTarget } from './backup-targets.ts';
import { createBackup } from './create-backup.ts';
import { deleteBackup } from './delete-backup.ts';
import { dispatchBackupDeletes } from './dispatch-backup-deletes.ts';
import { expireBackups } from './expire-backups.ts';
import { rescueServer } from './rescue-server.ts';
import { restoreBackup } from './restore-backup.ts';
import { restoreToNewServer } from './restore-to-new-server.ts';
import { verifyBackup } from './verify-backup.ts';

let t: Awaited<ReturnType<typeof createTestDatabase>>;
let db: TDb;
let w: Awaited<ReturnType<typeof makeWorld>>;
let admin: Awaited<ReturnType<typeof makePrincipal>>;
let targetId: string;

beforeAll(async () => {
  t = await createTestDatabase();
  db = t.db;
  w = await makeWorld(db, { cidr: '198.18.8.0/24', memoryMb: 65536, diskGb: 2000 });
  ({ admin, targetId } = await attachDirTarget(db, w.host.id, '/srv/backups'));
});
afterAll(async () => t?.drop());

const p = () => w.principal;
const newServer = () => runningServer(db, w);
const report = (serverId: string, operationId: string, outcome: 'succeeded' | 'failed', result?: Record<string, string | number>, state: 'running' | 'stopped' | 'absent' = 'running') =>
  finish(db, { operationId, serverId, hostId: w.host.id }, outcome, { state, error: outcome === 'failed' ? 'boom' : null, result });
const readyBackup = async (serverId: string, kind: 'full' | 'incremental' = 'full') => {
  const { backup, operation } = await createBackup({ db, principal: p(), serverId, input: { kind } });
  await report(serverId, operation.id, 'succeeded', { kind: backup.kind, manifestSha256: 'c'.repeat(64), diskBytes: 1e9, dataBytes: 1e8, storedBytes: 5e7 });
  return backup;
};
const statusOf = async (backupId: string) => (await db.backup.findUniqueOrThrow({ where: { id: backupId } })).status;
/** Operations that read the backup (restores, creates from it; its own backup operation names it too). */
const readersOf = (backupId: string) => db.operation.count({ where: { type: { in: ['restore', 'create'] }, params: { path: ['backupId'], equals: backupId } } });

/**
 * Run `call` while another transaction has done what deleteBackup does (row locked FOR UPDATE, marked deleting)
 * but not committed: `call` reads the backup as still ready. Commits once `call` waits on a lock (or has ended);
 * `waited` says whether it did wait.
 */
const whileBeingDeleted = async <T>(backupId: string, call: () => Promise<T>) => {
  const [holder, watch] = [new pg.Client(t.url), new pg.Client(t.url)];
  await Promise.all([holder.connect(), watch.connect()]);
  try {
    await holder.query('BEGIN');
    await holder.query('SELECT 1 FROM backups WHERE id = $1 FOR UPDATE', [backupId]);
    await holder.query(`UPDATE backups SET status = 'deleting', delete_dispatched_at = NULL WHERE id = $1`, [backupId]);
    let settled = false;
    const result = call().finally(() => { settled = true; });
    result.catch(() => {}); // the caller inspects it
    let waited = false;
    for (let i = 0; i < 400 && !waited && !settled; i++) {
      waited = (await watch.query(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`)).rows[0].n >= 1;
      if (!waited) await sleep(5);
    }
    await holder.query('COMMIT');
    await result.catch(() => {});
    return { waited, result };
  } finally {
    await Promise.all([holder.end(), watch.end()]);
  }
};

describe('a backup being read', () => {
  it('cannot be deleted (409 conflict) while a restore onto its server is queued or running; can once it ended', async () => {
    const s = await newServer();
    const b = await readyBackup(s.id);
    const { operation } = await restoreBackup({ db, principal: p(), backupId: b.id });
    expect(operation).toMatchObject({ type: 'restore', status: 'queued' });

    const refused = await expectAppError(deleteBackup({ db, principal: p(), backupId: b.id }), 'conflict');
    expect(refused.status).toBe(409);
    expect(refused.message).toMatch(/restore/);
    expect(await statusOf(b.id)).toBe('ready');
    await db.operation.update({ where: { id: operation.id }, data: { status: 'running', startedAt: new Date() } });
    await expectAppError(deleteBackup({ db, principal: p(), backupId: b.id }), 'conflict');
    expect(await statusOf(b.id)).toBe('ready');

    await report(s.id, operation.id, 'succeeded');
    expect(await deleteBackup({ db, principal: p(), backupId: b.id })).toMatchObject({ id: b.id, status: 'deleting' });
  });

  it('cannot be deleted while a new server is being created from it; can once that create ended', async () => {
    const s = await newServer();
    const b = await readyBackup(s.id);
    const restored = await restoreToNewServer({ db, principal: p(), backupId: b.id, input: { hostname: nextHostname() } });
    expect(restored.operation).toMatchObject({ type: 'create', status: 'queued' });

    await expectAppError(deleteBackup({ db, principal: p(), backupId: b.id }), 'conflict');
    expect(await statusOf(b.id)).toBe('ready');

    await finish(db, { operationId: restored.operation.id, serverId: restored.server.id, hostId: w.host.id }, 'succeeded', { state: 'running' });
    expect(await deleteBackup({ db, principal: p(), backupId: b.id })).toMatchObject({ id: b.id, status: 'deleting' });
  });

  it('does not expire while a create from it is queued, and expires once that create ended', async () => {
    const x = await newServer();
    const [read, unread] = [await readyBackup(x.id), await readyBackup(x.id)];
    const destroy = await deleteServer({ db, principal: p(), serverId: x.id });
    await report(x.id, destroy.operation.id, 'succeeded', undefined, 'absent');
    const restored = await restoreToNewServer({ db, principal: p(), backupId: read.id, input: { hostname: nextHostname() } });
    const later = new Date(Date.now() + 31 * 86_400_000);

    expect(await expireBackups({ db, now: later })).toBe(1);
    expect(await statusOf(unread.id)).toBe('deleting');
    // The system's own deletions are in the audit log, under the server, for its tenant.
    expect(await db.auditEvent.findFirst({ where: { action: 'backup.expire', data: { path: ['backupIds'], array_contains: [unread.id] } } }))
      .toMatchObject({ actorId: null, targetType: 'server', tenantId: w.principal.tenantId });
    expect(await statusOf(read.id)).toBe('ready');
    expect((await buildServerJob({ db, operationId: restored.operation.id }))?.restore?.backup.backupId).toBe(read.id);

    await finish(db, { operationId: restored.operation.id, serverId: restored.server.id, hostId: w.host.id }, 'succeeded', { state: 'running' });
    expect(await expireBackups({ db, now: later })).toBe(1);
    expect(await db.backup.findUniqueOrThrow({ where: { id: read.id } })).toMatchObject({ status: 'deleting', deleteDispatchedAt: null });
  });
});

describe('a backup being read, with what it builds on', () => {
  it('an incremental being restored keeps its full from expiring too; both expire once the restore ended', async () => {
    const y = await newServer();
    const full = await readyBackup(y.id, 'full');
    const inc = await readyBackup(y.id, 'incremental');
    expect(inc.parentId).toBe(full.id);
    const destroy = await deleteServer({ db, principal: p(), serverId: y.id });
    await report(y.id, destroy.operation.id, 'succeeded', undefined, 'absent');
    const restored = await restoreToNewServer({ db, principal: p(), backupId: inc.id, input: { hostname: nextHostname() } });
    const later = new Date(Date.now() + 31 * 86_400_000);
    await expireBackups({ db, now: later });
    expect([await statusOf(full.id), await statusOf(inc.id)]).toEqual(['ready', 'ready']); // the restore reads the full's chunks
    await finish(db, { operationId: restored.operation.id, serverId: restored.server.id, hostId: w.host.id }, 'succeeded', { state: 'running' });
    await expireBackups({ db, now: later });
    expect([await statusOf(full.id), await statusOf(inc.id)]).toEqual(['deleting', 'deleting']);
  });

  it('an incremental being written on a backup a restore then finds corrupt ends failed, not ready', async () => {
    const z = await newServer();
    const full = await readyBackup(z.id, 'full');
    const { backup: inc, operation } = await createBackup({ db, principal: p(), serverId: z.id, input: { kind: 'incremental' } });
    expect(inc.parentId).toBe(full.id);
    // Meanwhile another server restored from the full finds it corrupt.
    const restored = await restoreToNewServer({ db, principal: p(), backupId: full.id, input: { hostname: nextHostname() } });
    await applyFinished({ db, event: {
      operationId: restored.operation.id, serverId: restored.server.id, hostId: w.host.id, outcome: 'failed', state: null, attempt: 3,
      error: `backup_corrupt(${full.id}): backup ${full.id} cannot be restored: chunk 3 (in ${full.id}'s pack at 0) fails its sha256 checksum`,
    } });
    expect(await statusOf(full.id)).toBe('failed');
    await report(z.id, operation.id, 'succeeded', { kind: 'incremental', manifestSha256: 'd'.repeat(64), diskBytes: 1e9, dataBytes: 1e8, storedBytes: 1e6 });
    expect(await db.backup.findUniqueOrThrow({ where: { id: inc.id } })).toMatchObject({ status: 'failed', error: expect.stringMatching(/^corrupt: built on backup/) });
    expect((await createBackup({ db, principal: p(), serverId: z.id, input: { kind: 'incremental' } })).backup.kind).toBe('full');
  });
});

describe('a deletion racing a reader', () => {
  it('a restore that read the backup as ready, then waits for the deletion, is refused and writes no operation', async () => {
    const s = await newServer();
    const b = await readyBackup(s.id);
    const ops = await db.operation.count({ where: { serverId: s.id } });

    const { waited, result } = await whileBeingDeleted(b.id, () => restoreBackup({ db, principal: p(), backupId: b.id }));
    const err = await expectAppError(result, 'invalid_state');
    expect(err.message).toMatch(/deleting/);
    expect(waited).toBe(true); // it did read 'ready' first and was held by the deletion's lock
    expect(await db.operation.count({ where: { serverId: s.id } })).toBe(ops);
    expect(await readersOf(b.id)).toBe(0);
    expect(await statusOf(b.id)).toBe('deleting');
  });

  it('a create from the backup that waits for the deletion is refused: no server, no operation, nothing reserved', async () => {
    const s = await newServer();
    const b = await readyBackup(s.id);
    const servers = await db.server.count();
    const counters = await hostCounters(db, w.host.id);

    const { waited, result } = await whileBeingDeleted(b.id, () => restoreToNewServer({ db, principal: p(), backupId: b.id, input: { hostname: nextHostname() } }));
    await expectAppError(result, 'invalid_state');
    expect(waited).toBe(true);
    expect(await db.server.count()).toBe(servers);
    expect(await readersOf(b.id)).toBe(0);
    expect(await hostCounters(db, w.host.id)).toEqual(counters);
  });

  it('an incremental whose newest ready parent goes to deleting meanwhile is queued as a full', async () => {
    const s = await newServer();
    const older = await readyBackup(s.id);
    await db.backup.update({ where: { id: older.id }, data: { createdAt: new Date(Date.now() - 60_000) } });
    const newest = await readyBackup(s.id);

    const { waited, result } = await whileBeingDeleted(newest.id, () => createBackup({ db, principal: p(), serverId: s.id, input: { kind: 'incremental' } }));
    const { backup, operation } = await result;
    expect(backup).toMatchObject({ kind: 'full', parentId: null });
    expect(waited).toBe(true);
    expect(await db.backup.findUniqueOrThrow({ where: { id: backup.id } })).toMatchObject({ kind: 'full', parentId: null });
    expect((await buildServerJob({ db, operationId: operation.id }))?.backup).toMatchObject({ kind: 'full', parent: null });
    expect(await statusOf(newest.id)).toBe('deleting');
    await report(s.id, operation.id, 'succeeded', { kind: 'full', manifestSha256: 'd'.repeat(64), diskBytes: 1e9, dataBytes: 1e8, storedBytes: 5e7 });
  });
});

describe('the backup deletion outbox', () => {
  it('dispatches a target\'s deletions while more than a batch of another target\'s wait for an online host', async () => {
    const s = await newServer();
    const away = await createBackupTarget({ db, principal: admin, input: { name: 'away', spec: { kind: 'dir', path: '/srv/away' } } });
    const offline = await makeHost(db, { cidr: '198.18.31.0/24', status: 'offline' });
    await attachBackupTarget({ db, principal: admin, targetId: away.id, hostId: offline.id });
    const row = (target: string, createdAt: string) => db.backup.create({
      data: {
        id: newId('backup'), serverId: s.id, tenantId: s.tenantId, targetId: target, kind: 'full', trigger: 'manual', status: 'deleting',
        hostname: s.hostname, planId: w.plan.id, templateId: w.template.id, manifestSha256: 'e'.repeat(64), createdAt: new Date(createdAt),
      },
    });
    // Older than anything else here, so a batch by age would be all of them.
    const waiting = [await row(away.id, '2001-01-01T00:00:00Z'), await row(away.id, '2001-01-02T00:00:00Z'), await row(away.id, '2001-01-03T00:00:00Z')];
    const reachable = await row(targetId, '2001-02-01T00:00:00Z');

    const sent: { hostId: string; name: string; payload: { backupId: string } }[] = [];
    const publish = async (hostId: string, name: string, payload: unknown) => { sent.push({ hostId, name, payload: payload as { backupId: string } }); };
    const now = new Date();
    expect(await dispatchBackupDeletes({ db, publish, limit: 2, now })).toBeGreaterThanOrEqual(1);
    expect(sent).toContainEqual({ hostId: w.host.id, name: 'backup.delete@1', payload: { backupId: reachable.id, serverId: s.id, target: { kind: 'dir', path: '/srv/backups' } } });
    expect(sent.filter((c) => waiting.some((b) => b.id === c.payload.backupId))).toEqual([]);
    expect((await db.backup.findUniqueOrThrow({ where: { id: reachable.id } })).deleteDispatchedAt).toEqual(now);
    for (const b of waiting) expect((await db.backup.findUniqueOrThrow({ where: { id: b.id } })).deleteDispatchedAt).toBeNull();

    // Once its host is back, the waiting ones go to it.
    await db.host.update({ where: { id: offline.id }, data: { status: 'online' } });
    try {
      sent.length = 0;
      await dispatchBackupDeletes({ db, publish, limit: 10 });
      expect(sent.filter((c) => c.hostId === offline.id).map((c) => c.payload.backupId)).toEqual(waiting.map((b) => b.id));
    } finally {
      await db.host.update({ where: { id: offline.id }, data: { status: 'offline' } }); // no placement on it later
    }
  });
});

describe('operations settled through the agent\'s path', () => {
  it('a queued create from a backup deleted meanwhile fails at dispatch and leaves the server in error, not provisioning', async () => {
    const s = await newServer();
    const b = await readyBackup(s.id);
    const restored = await restoreToNewServer({ db, principal: p(), backupId: b.id, input: { hostname: nextHostname() } });
    await db.backup.update({ where: { id: b.id }, data: { status: 'deleted', deletedAt: new Date() } });

    const published: string[] = []; // job ids
    await dispatchOutbox({ db, publish: async (_hostId, _name, _payload, jobId) => { published.push(jobId); }, limit: 100 });
    expect(published).not.toContain(restored.operation.id);
    const op = await db.operation.findUniqueOrThrow({ where: { id: restored.operation.id } });
    expect(op).toMatchObject({ status: 'failed', dispatchedAt: null });
    expect(op.error).toMatch(/not ready \(deleted\)/);
    expect((await db.server.findUniqueOrThrow({ where: { id: restored.server.id } })).status).toBe('error');

    // In error it can be deleted (in provisioning it would wait for a create that never comes).
    const destroy = await deleteServer({ db, principal: p(), serverId: restored.server.id });
    await finish(db, { operationId: destroy.operation.id, serverId: restored.server.id, hostId: w.host.id }, 'succeeded', { state: 'absent' });
    expect((await db.server.findUniqueOrThrow({ where: { id: restored.server.id } })).status).toBe('deleted');
  });

  it('leaving rescue that succeeded with the server found stopped leaves it stopped and out of rescue', async () => {
    const s = await newServer();
    const { operation: rescue } = await rescueServer({ db, principal: p(), serverId: s.id, input: { enabled: true } });
    await report(s.id, rescue.id, 'succeeded');
    expect((await db.server.findUniqueOrThrow({ where: { id: s.id } })).rescueAt).not.toBeNull();

    const { operation: leave } = await rescueServer({ db, principal: p(), serverId: s.id, input: { enabled: false } });
    await report(s.id, leave.id, 'succeeded', undefined, 'stopped');
    expect(await db.server.findUniqueOrThrow({ where: { id: s.id } })).toMatchObject({ status: 'stopped', rescueAt: null });
    expect(await db.operation.findUniqueOrThrow({ where: { id: leave.id } })).toMatchObject({ status: 'succeeded' });
  });
});

describe('a restore that finds a backup corrupt', () => {
  const failWith = (serverId: string, operationId: string, error: string) =>
    applyFinished({ db, event: { operationId, serverId, hostId: w.host.id, outcome: 'failed', state: 'running', error, attempt: 3 } });

  it('takes the named backup and those built on it out of use; the next incremental builds on a sound one', async () => {
    const s = await newServer();
    const full = await readyBackup(s.id, 'full');
    const inc1 = await readyBackup(s.id, 'incremental');
    const inc2 = await readyBackup(s.id, 'incremental');
    expect([inc1.parentId, inc2.parentId]).toEqual([full.id, inc1.id]);
    // A stranger's backup named in the error is not this chain's: ignored.
    const other = await readyBackup((await newServer()).id);
    const r0 = await restoreBackup({ db, principal: p(), backupId: inc2.id });
    await failWith(s.id, r0.operation.id, `backup_corrupt(${other.id}): backup ${inc2.id} cannot be restored: forged`);
    expect(await statusOf(other.id)).toBe('ready');
    // A missing object (a target not mounted) names nothing: nothing changes.
    const r1 = await restoreBackup({ db, principal: p(), backupId: inc2.id });
    await failWith(s.id, r1.operation.id, `backup ${inc2.id} cannot be restored: ${s.id}/${inc1.id}/chunks.pack is missing from the backup target`);
    expect([await statusOf(full.id), await statusOf(inc1.id), await statusOf(inc2.id)]).toEqual(['ready', 'ready', 'ready']);

    // The bad chunk is in inc1's pack: inc1 and inc2 (built on it) go; the full stays.
    const r2 = await restoreBackup({ db, principal: p(), backupId: inc2.id });
    await failWith(s.id, r2.operation.id, `backup_corrupt(${inc1.id}): backup ${inc2.id} cannot be restored: chunk 7 (in ${inc1.id}'s pack at 0) fails its sha256 checksum`);
    expect([await statusOf(full.id), await statusOf(inc1.id), await statusOf(inc2.id)]).toEqual(['ready', 'failed', 'failed']);
    expect(await db.auditEvent.findFirst({ where: { action: 'backup.corrupt', targetId: s.id } })).toMatchObject({ data: { backupIds: expect.arrayContaining([inc1.id, inc2.id]) } });
    expect((await db.backup.findUniqueOrThrow({ where: { id: inc2.id } })).error).toMatch(/^corrupt: backup .* fails its sha256 checksum$/);
    await expectAppError(restoreBackup({ db, principal: p(), backupId: inc1.id }), 'invalid_state');
    const next = await readyBackup(s.id, 'incremental');
    expect(next.parentId).toBe(full.id);
  });
});

describe('verifying a backup', () => {
  it('reads it as a restore would (the same job parts), keeps it from deletion meanwhile, and stamps it when sound', async () => {
    const s = await newServer();
    const full = await readyBackup(s.id, 'full');
    const inc = await readyBackup(s.id, 'incremental');
    const { operation } = await verifyBackup({ db, principal: p(), backupId: inc.id });
    expect(operation).toMatchObject({ type: 'backup_verify', status: 'queued' });
    expect(await db.auditEvent.findFirst({ where: { action: 'server.backup_verify', targetId: s.id } })).toMatchObject({ data: { operationId: operation.id, backupId: inc.id } });
    const job = await buildServerJob({ db, operationId: operation.id });
    expect(job?.restore).toEqual({ target: { kind: 'dir', path: '/srv/backups' }, backup: { backupId: inc.id, serverId: s.id, manifestSha256: 'c'.repeat(64) } });
    // A reader: neither it nor, through it, its parent can go meanwhile; nor can a second verify start.
    await expectAppError(deleteBackup({ db, principal: p(), backupId: inc.id }), 'conflict');
    await expectAppError(verifyBackup({ db, principal: p(), backupId: full.id }), 'operation_in_progress');

    await report(s.id, operation.id, 'succeeded', { checkedChunks: 70, checkedBytes: 70 * 1048576 });
    const after = await db.backup.findUniqueOrThrow({ where: { id: inc.id } });
    expect(after).toMatchObject({ status: 'ready', error: null });
    expect(after.verifiedAt).toBeInstanceOf(Date);
    expect((await db.server.findUniqueOrThrow({ where: { id: s.id } })).status).toBe('running'); // untouched
    expect((await db.backup.findUniqueOrThrow({ where: { id: full.id } })).verifiedAt).toBeNull(); // only what was checked
  });

  it('one that finds a corrupt chunk takes that backup and those built on it out of use', async () => {
    const s = await newServer();
    const full = await readyBackup(s.id, 'full');
    const inc = await readyBackup(s.id, 'incremental');
    const { operation } = await verifyBackup({ db, principal: p(), backupId: inc.id });
    await applyFinished({ db, event: { operationId: operation.id, serverId: s.id, hostId: w.host.id, outcome: 'failed', state: 'running', attempt: 1,
      error: `backup_corrupt(${full.id}): backup ${inc.id} failed verification: backup ${inc.id} is corrupt: chunk 3 (in ${full.id}'s pack at 0) fails its sha256 checksum` } });
    expect([await statusOf(full.id), await statusOf(inc.id)]).toEqual(['failed', 'failed']);
    expect((await db.backup.findUniqueOrThrow({ where: { id: inc.id } })).verifiedAt).toBeNull();
    expect((await db.server.findUniqueOrThrow({ where: { id: s.id } })).status).toBe('running'); // the server runs on
    await expectAppError(verifyBackup({ db, principal: p(), backupId: inc.id }), 'invalid_state'); // failed: nothing to verify
  });

  it('never changes the server\'s status, whatever the agent saw: stopped stays stopped, error stays error', async () => {
    const s = await newServer();
    const b = await readyBackup(s.id);
    await db.server.update({ where: { id: s.id }, data: { status: 'stopped' } });
    const v1 = await verifyBackup({ db, principal: p(), backupId: b.id });
    await report(s.id, v1.operation.id, 'succeeded', { checkedChunks: 1, checkedBytes: 1048576 }, 'running');
    expect((await db.server.findUniqueOrThrow({ where: { id: s.id } })).status).toBe('stopped');
    // In error (say, its container lost): neither a verify that passed nor one that failed makes it look running.
    await db.server.update({ where: { id: s.id }, data: { status: 'error' } });
    const v2 = await verifyBackup({ db, principal: p(), backupId: b.id });
    await report(s.id, v2.operation.id, 'succeeded', { checkedChunks: 1, checkedBytes: 1048576 }, 'absent');
    expect((await db.server.findUniqueOrThrow({ where: { id: s.id } })).status).toBe('error');
    const v3 = await verifyBackup({ db, principal: p(), backupId: b.id });
    await report(s.id, v3.operation.id, 'failed', undefined, 'running');
    expect((await db.server.findUniqueOrThrow({ where: { id: s.id } })).status).toBe('error');
    expect(await statusOf(b.id)).toBe('ready'); // 'boom' names no corrupt backup
  });

  it('is allowed in rescue mode (it reads only the target), and refused to a stranger and for a deleted server', async () => {
    const s = await newServer();
    const b = await readyBackup(s.id);
    const { operation: enter } = await rescueServer({ db, principal: p(), serverId: s.id, input: { enabled: true } });
    await report(s.id, enter.id, 'succeeded');
    const { operation } = await verifyBackup({ db, principal: p(), backupId: b.id });
    await report(s.id, operation.id, 'succeeded', { checkedChunks: 1, checkedBytes: 1048576 });
    expect((await db.server.findUniqueOrThrow({ where: { id: s.id } })).rescueAt).not.toBeNull(); // still in rescue

    const stranger = await makeWorld(db, { cidr: '198.18.9.0/24' });
    await expectAppError(verifyBackup({ db, principal: stranger.principal, backupId: b.id }), 'not_found');
    const del = await deleteServer({ db, principal: p(), serverId: s.id });
    await report(s.id, del.operation.id, 'succeeded', undefined, 'absent');
    await expectAppError(verifyBackup({ db, principal: p(), backupId: b.id }), 'invalid_state');
  });
});
