import { open, stat } from 'node:fs/promises';
import { UnrecoverableError } from 'bullmq';
import type { TServerSpec, TServerState } from '@berth/contracts';
import type { ContainerDriver } from '../driver/driver.ts';
import { CHUNK_BYTES, chunkDelta, hashImage, isZero, sha256, type TChunkHashes } from '../migrate/disk-chunks.ts';
import { transferClient, type TTransferClient } from '../migrate/transfer-client.ts';
import type { THandler } from './types.ts';

const MB = 1024 * 1024;
const secs = (ms: number) => (ms / 1000).toFixed(1);

/** Run `fn` over `items`, `width` at a time. */
const eachLimited = async <T>(items: T[], width: number, fn: (item: T) => Promise<void>) => {
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(width, items.length) }, async () => {
    while (next < items.length) await fn(items[next++]!);
  }));
};

/**
 * One copy pass: hash our image, send the chunks the target lacks or holds differently, and turn into holes
 * those it holds that we no longer have. `theirs` (our model of the target's copy) is updated with what was
 * actually sent: on a live disk a chunk may change between hashing and reading, and the next pass sends it again.
 */
const copyPass = async (client: TTransferClient, file: string, theirs: TChunkHashes, onBytes: (n: number, total: number) => void) => {
  const { size, hashes: ours } = await hashImage(file);
  const { send, zero } = chunkDelta(ours, theirs);
  const fh = await open(file, 'r');
  let bytes = 0;
  try {
    await eachLimited(send, 4, async (i) => {
      const buf = Buffer.alloc(Math.min(CHUNK_BYTES, size - i * CHUNK_BYTES));
      await fh.read(buf, 0, buf.length, i * CHUNK_BYTES);
      if (isZero(buf)) {
        await client.zeroChunk(i);
        theirs.delete(i);
        return;
      }
      const h = sha256(buf);
      await client.putChunk(i, buf, h);
      theirs.set(i, h);
      bytes += buf.length;
      onBytes(bytes, send.length * CHUNK_BYTES);
    });
    for (const i of zero) {
      await client.zeroChunk(i);
      theirs.delete(i);
    }
  } finally {
    await fh.close();
  }
  return { size, ours, bytes };
};

/** Remove the source's copy once the target runs the VPS; a failure here must not undo the move. */
const removeSource = async (driver: ContainerDriver, spec: TServerSpec) => {
  await driver.destroy(spec).catch((e: unknown) => {
    // The VPS lives on the target now; what is left here is an orphan for reconciliation, not a reason to fail.
    console.error(`migrate ${spec.serverId}: the source copy could not be removed: ${e instanceof Error ? e.message : e}`);
  });
};

/**
 * After a failed commit: if the target has the VPS from this migration after all (its answer was lost), the
 * move happened. Else the target drops its incoming copy and the VPS starts here again; if the target cannot
 * be asked, the VPS stays stopped here rather than risk running twice (the job's retry settles it).
 */
const afterFailedCommit = async (driver: ContainerDriver, client: TTransferClient, spec: TServerSpec, wasRunning: boolean, cause: unknown) => {
  const why = cause instanceof Error ? cause.message : String(cause);
  let there: Awaited<ReturnType<TTransferClient['status']>>;
  try {
    there = await client.status();
    if (!there.committed) await client.abort();
  } catch (e) {
    throw new Error(`migration failed (${why}) and the target could not be asked about its copy (${e instanceof Error ? e.message : e}); the VPS is left stopped here until a retry settles it`);
  }
  if (there.committed) return there.state;
  if (wasRunning) await driver.start(spec);
  throw cause;
};

/**
 * server.migrate@1, run by the source host's agent: pre-copy the disk while the VPS runs (two passes, the
 * second only what changed meanwhile), stop it, copy the last difference, and have the target verify the
 * whole chunk list and start it with the spec the panel signed. The source copy is removed only after the
 * target reports the VPS running (or installed, for a stopped VPS); any failure before that leaves the VPS
 * here as it was. A retry resumes: the target reports what it already holds.
 */
export const handleMigrate: THandler = async ({ driver, spec, migration, progress }) => {
  if (!migration) throw new UnrecoverableError('server.migrate@1 without a target');
  const id = spec.serverId;
  const client = transferClient(migration, id);
  try {
    const local = await driver.state(id);
    if (local === 'absent') {
      // Our copy is gone: an earlier attempt finished the move (or the VPS is lost, which only the target can tell).
      const there = await client.status();
      if (!there.committed || there.state === 'absent') throw new UnrecoverableError(`${id} is on neither this host nor (from this migration) the target`);
      return there.state;
    }
    const file = driver.diskImage(id);
    const started = await client.begin({ spec: migration.spec, size: (await stat(file)).size, chunkBytes: CHUNK_BYTES });
    if (started.committed) {
      // An earlier attempt moved it but did not get to report: only our copy is left to remove.
      const { state } = await client.status();
      await removeSource(driver, spec);
      return state === 'running' ? 'running' : 'stopped';
    }
    // A retry may find the VPS stopped by an earlier attempt: the panel's view of it decides.
    const wasRunning = local === 'running' || migration.start;
    const theirs: TChunkHashes = new Map(started.hashes);
    const t0 = Date.now();
    let reported = 0;
    const first = await copyPass(client, file, theirs, (n, total) => {
      if (Date.now() - reported < 1000) return; // a progress event a second, not one per chunk
      reported = Date.now();
      void progress(`copying disk (${Math.round(n / MB)} of ~${Math.round(total / MB)} MB)`, 5 + Math.round((50 * n) / Math.max(total, 1)));
    });
    let copied = first.bytes;
    if (local === 'running') copied += (await copyPass(client, file, theirs, () => {})).bytes;
    console.log(`migrate ${id}: pre-copy ${Math.round(copied / MB)} MB in ${secs(Date.now() - t0)} s`);

    await progress(local === 'running' ? 'stopping for the final copy' : 'final copy', 70);
    const down = Date.now();
    let state: TServerState;
    try {
      await driver.stop(spec);
      const stopped = Date.now();
      await driver.releaseDisk(id);
      const last = await copyPass(client, file, theirs, () => {});
      const copiedAt = Date.now();
      await progress('starting on the target', 85);
      state = (await client.commit({ spec: migration.spec, size: last.size, hashes: [...last.ours], start: wasRunning })).state;
      const offline = secs(Date.now() - down);
      console.log(`migrate ${id}: final copy ${Math.round(last.bytes / MB)} MB; ${wasRunning ? `offline ${offline} s` : 'moved cold'} `
        + `(stop ${secs(stopped - down)} s, last copy ${secs(copiedAt - stopped)} s, start on the target ${secs(Date.now() - copiedAt)} s)`);
      await progress(wasRunning ? `running on the target (offline ${offline} s)` : 'installed on the target', 95);
    } catch (e) {
      state = await afterFailedCommit(driver, client, spec, wasRunning, e);
    }
    await removeSource(driver, spec); // only now: the target verified every chunk and runs it
    return state;
  } finally {
    client.close();
  }
};
