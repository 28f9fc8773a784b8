import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, open, readdir, readFile, rm, stat, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { manifestKey, packKey, type TBackupManifest } from './manifest.ts';
import { readManifest, restoreBackup, verifyBackup } from './restore-backup.ts';
import { BackupCorruptError, BackupMissingError, openBackupStore } from './store.ts';
import { writeBackup } from './write-backup.ts';

// The backup format on real files (a sparse image with random data at a few places); the agent's handlers
// are tested with real VPSes in handlers/backup-restore.int.test.ts.
const MB = 1024 * 1024;
const SERVER = 'srv_format01';
let dir = '';
let image = '';
const store = () => openBackupStore({ kind: 'dir', path: path.join(dir, 'target') });
const sha = async (file: string) => createHash('sha256').update(await readFile(file)).digest('hex');
const writeAt = async (file: string, offset: number, bytes: Buffer) => {
  const fh = await open(file, 'r+');
  await fh.write(bytes, 0, bytes.length, offset);
  await fh.close();
};
type TDone = { manifest: TBackupManifest; manifestSha256: string; storedBytes: number; newChunks: number };
const backups: Record<string, TDone & { sum: string }> = {};
const take = async (id: string, parent: string | null) => {
  const out = await writeBackup({ store: store(), image, serverId: SERVER, backupId: id, parent: parent ? backups[parent]!.manifest : null });
  backups[id] = { ...out, sum: await sha(image) };
  return out;
};
const manifestOf = (id: string) => readManifest({ store: store(), serverId: SERVER, backupId: id, sha256: backups[id]!.manifestSha256 });
const verify = async (id: string) => verifyBackup({ store: store(), manifest: await manifestOf(id) });
const restoreTo = async (id: string) => {
  const out = path.join(dir, `restored-${id}.img`);
  await restoreBackup({ store: store(), manifest: await manifestOf(id), out });
  return out;
};

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'berth-backup-format-'));
  image = path.join(dir, 'disk.img');
  await writeFile(image, '');
  await truncate(image, 256 * MB); // sparse: holes are never read
  await writeAt(image, 0, randomBytes(30 * MB));
  await writeAt(image, 100 * MB + 12345, randomBytes(10 * MB)); // unaligned
  await writeAt(image, 200 * MB, Buffer.alloc(3 * MB)); // zeros written: not stored either
});
afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('backup format', { timeout: 60_000 }, () => {
  it('a full backup restores bit for bit and sparse', async () => {
    const full = await take('bkp_full0001', null);
    expect(full.manifest.kind).toBe('full');
    expect(full.newChunks).toBe(30 + 11); // 10 MB at an unaligned offset touches 11 chunks
    expect(full.storedBytes).toBeGreaterThan(40 * MB); // random bytes do not compress
    const out = await restoreTo('bkp_full0001');
    expect(await sha(out)).toBe(backups.bkp_full0001!.sum);
    const st = await stat(out);
    expect(st.size).toBe(256 * MB);
    expect(st.blocks * 512).toBeLessThan(60 * MB);
  });

  it('an incremental after a 10 MB change stores about 10 MB, and both restore', async () => {
    await writeAt(image, 50 * MB, randomBytes(10 * MB)); // aligned: exactly 10 chunks
    const inc = await take('bkp_incr0001', 'bkp_full0001');
    expect(inc.manifest.kind).toBe('incremental');
    expect(inc.newChunks).toBe(10);
    expect(inc.storedBytes).toBeGreaterThan(10 * MB);
    expect(inc.storedBytes).toBeLessThan(10.5 * MB);
    expect(await sha(await restoreTo('bkp_incr0001'))).toBe(backups.bkp_incr0001!.sum);
    expect(await sha(await restoreTo('bkp_full0001'))).toBe(backups.bkp_full0001!.sum); // the parent is untouched
  });

  it('a chain of three restores from its last, reading chunks from every ancestor', async () => {
    await writeAt(image, 5 * MB, randomBytes(MB));
    await take('bkp_incr0002', 'bkp_incr0001');
    const owners = new Set(backups.bkp_incr0002!.manifest.chunks.map((c) => c[2]));
    expect([...owners].sort()).toEqual(['bkp_full0001', 'bkp_incr0001', 'bkp_incr0002']);
    expect(await sha(await restoreTo('bkp_incr0002'))).toBe(backups.bkp_incr0002!.sum);
  });

  it('detects corruption: a flipped byte, a truncated pack, a manifest that is not the recorded one, a missing backup', async () => {
    const pack = path.join(dir, 'target', packKey(SERVER, 'bkp_full0001'));
    const original = await readFile(pack);
    const flipped = Buffer.from(original);
    flipped[Math.floor(flipped.length / 2)]! ^= 0x01;
    expect(await verify('bkp_incr0002')).toEqual({ chunks: backups.bkp_incr0002!.manifest.chunks.length, bytes: backups.bkp_incr0002!.manifest.chunks.length * MB });
    await writeFile(pack, flipped);
    // A verify finds what a restore would, writing nothing.
    await expect(verify('bkp_incr0002')).rejects.toMatchObject({ name: 'BackupCorruptError', backupId: 'bkp_full0001' });
    await expect(restoreTo('bkp_incr0002')).rejects.toThrow(/bkp_incr0002 is corrupt: chunk \d+/);
    // The bad chunk is in the full's pack, which the incremental reads: the full is named, not the incremental.
    await expect(restoreTo('bkp_incr0002')).rejects.toMatchObject({ name: 'BackupCorruptError', backupId: 'bkp_full0001' });
    await writeFile(pack, original.subarray(0, original.length - 100));
    // A short pack may be a target still syncing or half-mounted: refused, but nothing is named corrupt.
    await expect(restoreTo('bkp_full0001')).rejects.toMatchObject({ name: 'BackupCorruptError', backupId: undefined });
    await expect(verify('bkp_full0001')).rejects.toMatchObject({ name: 'BackupCorruptError', backupId: undefined });
    await writeFile(pack, original);
    expect(await sha(await restoreTo('bkp_full0001'))).toBe(backups.bkp_full0001!.sum); // whole again
    await expect(verify('bkp_incr0002')).resolves.toMatchObject({ chunks: expect.any(Number) });
    await expect(readManifest({ store: store(), serverId: SERVER, backupId: 'bkp_full0001', sha256: 'f'.repeat(64) })).rejects.toMatchObject({ name: 'BackupCorruptError', backupId: 'bkp_full0001' });
    await expect(readManifest({ store: store(), serverId: SERVER, backupId: 'bkp_nothere01', sha256: 'f'.repeat(64) })).rejects.toBeInstanceOf(BackupMissingError);
  });

  it('the dir store refuses keys that could escape it, writes atomically and deletes by prefix only', async () => {
    const s = store();
    for (const bad of ['../x', '/etc/passwd', 'srv_a/../../x', 'SRV_A/x', 'srv_a/x y', '']) await expect(s.put(bad, Buffer.from('x'))).rejects.toThrow(/bad backup object key/);
    async function* failing() {
      yield Buffer.from('half');
      throw new Error('disk gone');
    }
    await expect(s.put('srv_other/bkp_x/chunks.pack', failing())).rejects.toThrow('disk gone');
    expect(await s.exists('srv_other/bkp_x/chunks.pack')).toBe(false);
    expect(await readdir(path.join(dir, 'target', 'srv_other', 'bkp_x'))).toEqual([]); // no .tmp left
    await s.deletePrefix(`${SERVER}/bkp_incr0002/`);
    expect(await s.exists(manifestKey(SERVER, 'bkp_incr0002'))).toBe(false);
    expect(await s.exists(manifestKey(SERVER, 'bkp_incr0001'))).toBe(true);
    expect(() => openBackupStore({ kind: 'dir', path: 'relative' })).toThrow(/not absolute/);
  });
});
