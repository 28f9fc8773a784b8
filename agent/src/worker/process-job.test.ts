import { UnrecoverableError } from 'bullmq';
import { describe, expect, it, vi } from 'vitest';
import type { TOperationFinishedEvent, TOperationProgressEvent, TQuarantineFinishedEvent, TServerJob } from '@berth/contracts';
import { JOBS } from '@berth/jobs';
import { InvalidSpecError } from '../driver/driver.ts';
import { createFakeDriver } from '../driver/fake.ts';
import { processJob, type TJobLike } from './process-job.ts';
import type { TReporter } from './reporter.ts';
import { memoryDoneJournal } from './done-journal.ts';
import { createServerLock } from './server-lock.ts';

// Control flow only (fake driver); the driver itself is tested against real LXC.
const setup = () => {
  const fake = createFakeDriver();
  const finished: TOperationFinishedEvent[] = [];
  const progress: TOperationProgressEvent[] = [];
  const quarantines: TQuarantineFinishedEvent[] = [];
  const reporter: TReporter = {
    progress: async (e) => void progress.push(e),
    finished: async (e) => void finished.push(e),
    heartbeat: async () => {},
    inventory: async () => {},
    metrics: async () => {},
    backupDeleted: async () => {},
    quarantineFinished: async (e) => void quarantines.push(e),
  };
  const ctx = { driver: fake.driver, reporter, lock: createServerLock(), hostId: 'host_test01', journal: memoryDoneJournal() };
  return { fake, finished, progress, quarantines, ctx };
};

const payload = (serverId = 'srv_aaaaaa01', operationId = 'op_bbbbbb01'): TServerJob => ({
  operationId,
  serverId,
  spec: {
    serverId,
    hostname: 'vps1',
    imageRef: 'debian-12',
    limits: { cpuCores: 1, cpuWeight: 100, memoryMb: 512, swapMb: 0, diskGb: 5, ioReadBps: 0, ioWriteBps: 0, ioReadIops: 0, ioWriteIops: 0, pidsMax: 256 },
    network: { bridge: 'berth0', ipv4: '198.18.0.10', prefixLength: 24, gateway: null, mac: '02:00:00:00:00:10', peers: [], rateMbit: null },
    idmap: { uidBase: 1_000_000, count: 65_536 },
    access: { sshKeys: [], rootPasswordHash: null },
    features: { nesting: false },
  },
});

const job = (name: keyof typeof JOBS, data: unknown, attemptsMade = 0): TJobLike =>
  ({ name, data, attemptsMade, opts: { attempts: JOBS[name].attempts } }) as TJobLike;

describe('processJob', () => {
  it('create: creates then starts, reports progress and a succeeded/running finish', async () => {
    const { fake, finished, progress, ctx } = setup();
    expect(await processJob(ctx, job('server.create@1', payload()))).toBe('running');
    expect(fake.calls).toEqual(['create:srv_aaaaaa01', 'start:srv_aaaaaa01']);
    expect(progress.at(-1)).toMatchObject({ operationId: 'op_bbbbbb01', progress: 100, attempt: 1 });
    expect(finished).toEqual([
      { operationId: 'op_bbbbbb01', serverId: 'srv_aaaaaa01', hostId: 'host_test01', outcome: 'succeeded', state: 'running', error: null, attempt: 1 },
    ]);
  });

  it('stop, restart and destroy report the observed state; destroying an absent server succeeds', async () => {
    const { finished, ctx } = setup();
    await processJob(ctx, job('server.create@1', payload()));
    expect(await processJob(ctx, job('server.stop@1', payload()))).toBe('stopped');
    expect(await processJob(ctx, job('server.restart@1', payload()))).toBe('running');
    expect(await processJob(ctx, job('server.destroy@1', payload()))).toBe('absent');
    expect(await processJob(ctx, job('server.destroy@1', payload()))).toBe('absent');
    expect(finished.map((f) => `${f.outcome}:${f.state}`)).toEqual([
      'succeeded:running', 'succeeded:stopped', 'succeeded:running', 'succeeded:absent', 'succeeded:absent',
    ]);
  });

  it('a retryable failure is reported only on the last attempt', async () => {
    const { fake, finished, ctx } = setup();
    fake.failNext('start', new Error('boot timeout'));
    fake.failNext('start', new Error('boot timeout'));
    fake.failNext('start', new Error('boot timeout'));
    await expect(processJob(ctx, job('server.create@1', payload(), 0))).rejects.toThrow('boot timeout');
    await expect(processJob(ctx, job('server.create@1', payload(), 1))).rejects.toThrow('boot timeout');
    expect(finished).toEqual([]);
    await expect(processJob(ctx, job('server.create@1', payload(), 2))).rejects.toThrow('boot timeout');
    expect(finished).toMatchObject([{ outcome: 'failed', state: 'stopped', error: 'boot timeout', attempt: 3 }]);
  });

  it('an invalid spec fails at once as unrecoverable and is reported', async () => {
    const { fake, finished, ctx } = setup();
    fake.failNext('create', new InvalidSpecError('template debian-13 is not on this host'));
    const err = await processJob(ctx, job('server.create@1', payload())).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UnrecoverableError);
    expect(finished).toMatchObject([{ outcome: 'failed', state: 'absent', attempt: 1 }]);
  });

  it('a bad payload is unrecoverable, never touches the driver, and still closes the operation', async () => {
    const { fake, finished, ctx } = setup();
    const bad = { ...payload(), spec: { ...payload().spec, imageRef: 42 } };
    await expect(processJob(ctx, job('server.start@1', bad))).rejects.toBeInstanceOf(UnrecoverableError);
    await expect(processJob(ctx, job('host.heartbeat@1', {}))).rejects.toBeInstanceOf(UnrecoverableError);
    const mismatch = { ...payload('srv_aaaaaa01'), spec: payload('srv_cccccc03').spec };
    await expect(processJob(ctx, job('server.stop@1', mismatch))).rejects.toBeInstanceOf(UnrecoverableError);
    expect(fake.calls).toEqual([]);
    expect(finished.map((f) => f.outcome)).toEqual(['failed', 'failed']);
  });

  it('never overlaps two jobs of one server, but runs different servers in parallel', async () => {
    const { fake, ctx } = setup();
    fake.setDelay(30);
    await processJob(ctx, job('server.create@1', payload('srv_aaaaaa01', 'op_00000001')));
    fake.calls.length = 0;
    const t0 = performance.now();
    await Promise.all([
      processJob(ctx, job('server.stop@1', payload('srv_aaaaaa01', 'op_00000002'))),
      processJob(ctx, job('server.destroy@1', payload('srv_aaaaaa01', 'op_00000003'))),
      processJob(ctx, job('server.create@1', payload('srv_dddddd04', 'op_00000004'))),
    ]);
    // Same server strictly in order (stop finished before destroy began); the other server interleaved.
    expect(fake.calls.filter((c) => c.endsWith('srv_aaaaaa01'))).toEqual(['stop:srv_aaaaaa01', 'destroy:srv_aaaaaa01']);
    expect(fake.calls.indexOf('create:srv_dddddd04')).toBeLessThan(fake.calls.indexOf('destroy:srv_aaaaaa01'));
    expect(performance.now() - t0).toBeLessThan(150); // 2 x 30 ms serialized, the other in parallel
    expect(ctx.lock.busy()).toEqual([]);
  });

  it('a job that outlives its catalog timeout is failed as final, reported, and releases the server lock', async () => {
    vi.useFakeTimers();
    try {
      const { fake, finished, ctx } = setup();
      fake.states.set('srv_aaaaaa01', 'running');
      const limit = JOBS['server.stop@1'].timeoutMs;
      fake.setDelay(limit * 10); // a wedged lxc-stop
      const hung = processJob(ctx, job('server.stop@1', payload())).catch((e: unknown) => e);
      await vi.advanceTimersByTimeAsync(limit - 1000);
      expect(finished).toEqual([]); // not before its time
      await vi.advanceTimersByTimeAsync(1001);
      const err = await hung;
      // Final at once (attempt 1 of 3): a retry would race the step still hanging in the background.
      expect(err).toBeInstanceOf(UnrecoverableError);
      expect((err as Error).message).toMatch(/server\.stop@1 op_bbbbbb01 timed out after 180 s/);
      expect(finished).toMatchObject([{ operationId: 'op_bbbbbb01', outcome: 'failed', state: 'running', attempt: 1 }]);
      expect(ctx.lock.busy()).toEqual([]);
      // The server's next job is not stuck behind the hung one.
      fake.setDelay(0);
      const next = processJob(ctx, job('server.restart@1', payload('srv_aaaaaa01', 'op_bbbbbb02')));
      await vi.advanceTimersByTimeAsync(10);
      expect(await next).toBe('running');
    } finally {
      vi.useRealTimers();
    }
  });

  it('quarantine and purge jobs run under the server lock and report quarantine.finished@1', async () => {
    const { fake, quarantines, finished, ctx } = setup();
    fake.states.set('srv_aaaaaa01', 'running');
    const q = { quarantineId: 'qrn_aaaaaa01', serverId: 'srv_aaaaaa01', stamp: '20261201T101500Z' };
    expect(await processJob(ctx, job('server.quarantine@1', q))).toBe('absent');
    expect(await processJob(ctx, job('server.quarantine@1', q))).toBe('absent'); // redelivered: same place, nothing lost
    expect(fake.quarantined.get('srv_aaaaaa01-20261201T101500Z')).toEqual(['container', 'image']);
    fake.strayImages.add('srv_cccccc03');
    await processJob(ctx, job('server.quarantine@1', { quarantineId: 'qrn_cccccc03', serverId: 'srv_cccccc03', stamp: '20261201T101500Z' }));
    await processJob(ctx, job('server.quarantine@1', { quarantineId: 'qrn_dddddd04', serverId: 'srv_dddddd04', stamp: '20261201T101500Z' }));
    await processJob(ctx, job('quarantine.purge@1', { quarantineId: 'qrn_aaaaaa01', serverId: 'srv_aaaaaa01', location: 'srv_aaaaaa01-20261201T101500Z' }));
    expect(quarantines.map((e) => [e.quarantineId, e.action, e.outcome, e.location, e.moved.join('+')])).toEqual([
      ['qrn_aaaaaa01', 'quarantine', 'succeeded', 'srv_aaaaaa01-20261201T101500Z', 'container+image'],
      ['qrn_aaaaaa01', 'quarantine', 'succeeded', 'srv_aaaaaa01-20261201T101500Z', 'container+image'],
      ['qrn_cccccc03', 'quarantine', 'succeeded', 'srv_cccccc03-20261201T101500Z', 'image'],
      ['qrn_dddddd04', 'quarantine', 'succeeded', null, ''], // nothing there any more
      ['qrn_aaaaaa01', 'purge', 'succeeded', 'srv_aaaaaa01-20261201T101500Z', ''],
    ]);
    expect(fake.quarantined.size).toBe(1);
    expect(finished).toEqual([]); // no operation involved
    // A failure is reported once, on the last attempt only.
    fake.failNext('quarantine', new Error('umount: target is busy'));
    fake.failNext('quarantine', new Error('umount: target is busy'));
    const busy = { quarantineId: 'qrn_eeeeee05', serverId: 'srv_eeeeee05', stamp: '20261201T101500Z' };
    await expect(processJob(ctx, job('server.quarantine@1', busy, 0))).rejects.toThrow('busy');
    await expect(processJob(ctx, job('server.quarantine@1', busy, 4))).rejects.toThrow('busy');
    expect(quarantines.at(-1)).toMatchObject({ quarantineId: 'qrn_eeeeee05', outcome: 'failed', error: 'umount: target is busy' });
    expect(quarantines.filter((e) => e.quarantineId === 'qrn_eeeeee05')).toHaveLength(1);
  });

  it('a job redelivered after it succeeded here runs nothing again and reports the same outcome and result', async () => {
    const { fake, finished, ctx } = setup();
    fake.states.set('srv_aaaaaa01', 'running');
    const snap = { ...payload(), snapshot: { snapshotId: 'snap_aaaaaa01' } };
    await processJob(ctx, job('server.snapshot@1', snap));
    const rollback = { ...snap, operationId: 'op_bbbbbb02' };
    await processJob(ctx, job('snapshot.restore@1', rollback));
    const calls = fake.calls.length;
    // The agent died after reporting, before BullMQ marked the jobs complete: both come back.
    expect(await processJob(ctx, job('snapshot.restore@1', rollback, 1))).toBe('running');
    await processJob(ctx, job('server.snapshot@1', snap, 1));
    expect(fake.calls.slice(calls)).toEqual([]); // no second rollback over what was written since
    expect(finished.slice(-2)).toMatchObject([
      { operationId: 'op_bbbbbb02', outcome: 'succeeded', state: 'running' },
      { operationId: 'op_bbbbbb01', outcome: 'succeeded', state: 'running', result: { sizeBytes: 1024 } },
    ]);
    // A failed attempt is not remembered: its retry runs.
    fake.failNext('stop', new Error('lxc-stop: timed out'));
    const stop = { ...payload(), operationId: 'op_bbbbbb03' };
    await expect(processJob(ctx, job('server.stop@1', stop))).rejects.toThrow('timed out');
    expect(await processJob(ctx, job('server.stop@1', stop, 1))).toBe('stopped');
  });

  it('a success is reported even when the journal cannot be written; a redelivery reports the state the job left', async () => {
    const { fake, finished, ctx } = setup();
    await processJob(ctx, job('server.create@1', payload()));
    const broken = { ...ctx, journal: { ...ctx.journal, put: async () => { throw new Error('EROFS: read-only file system'); } } };
    const stop = { ...payload(), operationId: 'op_bbbbbb02' };
    expect(await processJob(broken, job('server.stop@1', stop))).toBe('stopped');
    expect(finished.at(-1)).toMatchObject({ operationId: 'op_bbbbbb02', outcome: 'succeeded', state: 'stopped' });
    // Journaled: the state the job left, though the server has been started since.
    await processJob(ctx, job('server.stop@1', { ...payload(), operationId: 'op_bbbbbb03' }));
    await processJob(ctx, job('server.start@1', { ...payload(), operationId: 'op_bbbbbb04' }));
    expect(fake.states.get('srv_aaaaaa01')).toBe('running');
    expect(await processJob(ctx, job('server.stop@1', { ...payload(), operationId: 'op_bbbbbb03' }, 1))).toBe('stopped');
    expect(fake.states.get('srv_aaaaaa01')).toBe('running'); // not stopped a second time
  });

  it('a rescue system that does not boot is disarmed; a server that does not boot after leaving rescue is out of it, stopped', async () => {
    const { fake, finished, ctx } = setup();
    await processJob(ctx, job('server.create@1', payload()));
    fake.failNext('start', new Error('lxc-start: failed to boot'));
    await expect(processJob(ctx, job('server.rescue@1', { ...payload(), operationId: 'op_bbbbbb02' }, 2))).rejects.toThrow('failed to boot');
    expect(fake.rescued.has('srv_aaaaaa01')).toBe(false); // the panel records no rescue mode: neither does the host
    expect(finished.at(-1)).toMatchObject({ operationId: 'op_bbbbbb02', outcome: 'failed' });
    await processJob(ctx, job('server.rescue@1', { ...payload(), operationId: 'op_bbbbbb03' }));
    expect(fake.rescued.has('srv_aaaaaa01')).toBe(true);
    fake.failNext('start', new Error('lxc-start: init not found'));
    expect(await processJob(ctx, job('server.unrescue@1', { ...payload(), operationId: 'op_bbbbbb04' }))).toBe('stopped');
    expect(fake.rescued.has('srv_aaaaaa01')).toBe(false);
    expect(finished.at(-1)).toMatchObject({ operationId: 'op_bbbbbb04', outcome: 'succeeded', state: 'stopped' });
  });

  it('snapshot and rescue jobs reach the driver with their parts, and a handler\'s result goes out with the finish', async () => {
    const { fake, finished, ctx } = setup();
    fake.states.set('srv_aaaaaa01', 'running');
    const snap = { ...payload(), snapshot: { snapshotId: 'snap_aaaaaa01' } };
    expect(await processJob(ctx, job('server.snapshot@1', snap))).toBe('running');
    expect(finished.at(-1)).toMatchObject({ outcome: 'succeeded', state: 'running', result: { sizeBytes: 1024 } });
    expect(fake.snapshots.has('srv_aaaaaa01/snap_aaaaaa01')).toBe(true);
    await processJob(ctx, job('snapshot.restore@1', { ...snap, operationId: 'op_bbbbbb02' }));
    expect(fake.calls.slice(-2)).toEqual(['restoreSnapshot:srv_aaaaaa01', 'start:srv_aaaaaa01']);
    // A snapshot job without its snapshot is a bad payload for this handler: unrecoverable, reported at once.
    await expect(processJob(ctx, job('server.snapshot@1', { ...payload(), operationId: 'op_bbbbbb03' }))).rejects.toBeInstanceOf(UnrecoverableError);
    expect(finished.at(-1)).toMatchObject({ operationId: 'op_bbbbbb03', outcome: 'failed' });
    await processJob(ctx, job('server.rescue@1', { ...payload(), operationId: 'op_bbbbbb04' }));
    expect(fake.rescued.has('srv_aaaaaa01')).toBe(true);
    await processJob(ctx, job('server.unrescue@1', { ...payload(), operationId: 'op_bbbbbb05' }));
    expect(fake.rescued.has('srv_aaaaaa01')).toBe(false);
    expect(finished.at(-1)).toMatchObject({ operationId: 'op_bbbbbb05', outcome: 'succeeded', state: 'running' });
    expect(finished.at(-1)).not.toHaveProperty('result');
  });
});
