import { lstat, mkdir, mkdtemp, readFile, readlink, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { safeRead, safeRemove, safeWrite } from './safe-write.ts';

// A VPS root controls its disk: host-side writes into it must never escape through its symlinks.
describe('safeWrite', () => {
  let dir = '';
  let root = '';
  let outside = '';
  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'berth-safe-write-'));
    root = path.join(dir, 'root');
    outside = path.join(dir, 'outside');
    await mkdir(path.join(root, 'etc'), { recursive: true });
    await mkdir(outside);
    await writeFile(path.join(outside, 'shadow'), 'host secret\n');
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('writes atomically with the requested mode and creates missing directories', async () => {
    await safeWrite(root, 'root/.ssh/authorized_keys', 'ssh-ed25519 AAAA\n', { mode: 0o600, dirMode: 0o700 });
    expect(await readFile(path.join(root, 'root/.ssh/authorized_keys'), 'utf8')).toBe('ssh-ed25519 AAAA\n');
    expect((await lstat(path.join(root, 'root/.ssh/authorized_keys'))).mode & 0o777).toBe(0o600);
    expect((await lstat(path.join(root, 'root/.ssh'))).mode & 0o777).toBe(0o700);
  });

  it('replaces a symlink in the last component instead of writing through it', async () => {
    await symlink(path.join(outside, 'shadow'), path.join(root, 'etc/hostname'));
    await safeWrite(root, 'etc/hostname', 'vps\n', { mode: 0o644 });
    expect(await readFile(path.join(outside, 'shadow'), 'utf8')).toBe('host secret\n');
    expect((await lstat(path.join(root, 'etc/hostname'))).isFile()).toBe(true);
  });

  it('refuses a symlinked directory on the way, and never reads through a symlink', async () => {
    await symlink(outside, path.join(root, 'etc/ssh'));
    await expect(safeWrite(root, 'etc/ssh/ssh_host_ed25519_key', 'x', { mode: 0o600 })).rejects.toThrow(/not a directory/);
    await expect(safeRemove(root, 'etc/ssh/shadow')).rejects.toThrow(/not a directory/);
    await symlink(path.join(outside, 'shadow'), path.join(root, 'etc/shadow'));
    await expect(safeRead(root, 'etc/shadow')).rejects.toThrow(/ELOOP/);
    expect(await readlink(path.join(root, 'etc/ssh'))).toBe(outside);
    expect(await readFile(path.join(outside, 'shadow'), 'utf8')).toBe('host secret\n');
    await safeRemove(root, 'no/such/file'); // missing is fine and creates nothing
    await expect(lstat(path.join(root, 'no'))).rejects.toThrow(/ENOENT/);
  });
});
