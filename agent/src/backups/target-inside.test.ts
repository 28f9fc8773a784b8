// A dir target inside the host's VPS storage is recognised however it is spelled (symlinks, '..', a path
// not created yet), and a sibling with the same prefix is not mistaken for it. Real directories in a temp dir.
import { mkdir, mkdtemp, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createFakeDriver } from '../driver/fake.ts';
import { handleBackup } from '../handlers/backup.ts';
import { targetInside } from './store.ts';

let dir = '';
let data = '';
let lxc = '';
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'berth-target-inside-'));
  data = path.join(dir, 'berth');
  lxc = path.join(dir, 'lxc');
  await mkdir(path.join(data, 'pool'), { recursive: true });
  await mkdir(lxc);
  await symlink(path.join(data, 'pool'), path.join(dir, 'pool-link'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

const inside = (p: string) => targetInside({ kind: 'dir', path: p }, [data, lxc]);

it('names the storage root a target lies in, through symlinks, dot-dots and paths not made yet', async () => {
  expect(await inside(path.join(data, 'pool', 'backups'))).toBe(data);
  expect(await inside(data)).toBe(data);
  expect(await inside(path.join(dir, 'pool-link', 'not', 'yet'))).toBe(data);
  expect(await inside(path.join(dir, 'elsewhere', '..', 'lxc', 'b'))).toBe(lxc);
});

it('lets a target beside the storage through, even one whose name starts the same', async () => {
  expect(await inside(`${data}-backups`)).toBeNull();
  expect(await inside(path.join(dir, 'backups'))).toBeNull();
  expect(await inside('/nonexistent-berth-target/x')).toBeNull();
});

it('a backup job aimed inside the storage fails as unrecoverable before anything is frozen or written', async () => {
  const fake = createFakeDriver();
  fake.storageRoots.push(data);
  const job = handleBackup({
    driver: fake.driver,
    spec: { serverId: 'srv_inside01' } as never,
    backup: { backupId: 'bkp_inside01', kind: 'full', target: { kind: 'dir', path: path.join(data, 'pool', 'b') } } as never,
    progress: async () => {},
  });
  await expect(job).rejects.toMatchObject({ name: 'InvalidSpecError', message: expect.stringContaining('inside this host\'s VPS storage') });
  expect(fake.calls).toEqual([]);
});
