import { randomBytes } from 'node:crypto';
import { lstat, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ZSshPublicKey, type TServerSpec } from '@berth/contracts';
import { InvalidSpecError } from '../driver/driver.ts';
import { run } from '../exec/run.ts';
import { safeRead, safeRemove, safeWrite } from './safe-write.ts';

const HOSTNAME = /^(?=.{1,253}$)[a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?(\.[a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)*$/;
const CRYPT_HASH = /^\$[0-9a-z]+\$[^\s:]+$/;

/** Values that end up in config files and /etc/shadow: one bad byte could inject a line. */
export const validateIdentity = (spec: TServerSpec) => {
  if (!HOSTNAME.test(spec.hostname)) throw new InvalidSpecError(`bad hostname ${JSON.stringify(spec.hostname)}`);
  for (const k of spec.access.sshKeys) if (!ZSshPublicKey.safeParse(k).success) throw new InvalidSpecError('bad ssh key');
  const h = spec.access.rootPasswordHash;
  if (h !== null && !CRYPT_HASH.test(h)) throw new InvalidSpecError('rootPasswordHash is not a crypt(3) hash');
};

const exists = (p: string) => lstat(p).then(() => true, () => false);

const HOST_KEY_TYPES = ['ed25519', 'ecdsa'] as const;
/** sshd would otherwise also look for (and log the absence of) an RSA host key. */
const HOST_KEY_CONFIG = HOST_KEY_TYPES.map((t) => `HostKey /etc/ssh/ssh_host_${t}_key`).join('\n') + '\n';

/** Fresh SSH host keys per VPS (the template has none, or every VPS would share them). Kept if present. */
const writeHostKeys = async (root: string) => {
  const tmp = await mkdtemp(path.join(tmpdir(), 'berth-hostkeys-'));
  try {
    // Ed25519 and ECDSA only: every OpenSSH since 6.5 and PuTTY since 0.68 speak them, and RSA generation
    // alone would cost a few hundred ms of every create.
    await Promise.all(HOST_KEY_TYPES.map(async (type) => {
      const rel = `etc/ssh/ssh_host_${type}_key`;
      if ((await exists(path.join(root, rel))) && (await exists(path.join(root, `${rel}.pub`)))) return;
      // Generated on the host, then copied in: ssh-keygen would follow a symlink planted in the image.
      const key = path.join(tmp, type);
      await run('ssh-keygen', ['-q', '-N', '', '-t', type, '-C', 'root@vps', '-f', key]);
      await safeWrite(root, rel, await readFile(key), { mode: 0o600 });
      await safeWrite(root, `${rel}.pub`, await readFile(`${key}.pub`), { mode: 0o644 });
    }));
    await safeWrite(root, 'etc/ssh/sshd_config.d/05-berth-hostkeys.conf', HOST_KEY_CONFIG, { mode: 0o644 });
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
};

/** Root's password hash goes in /etc/shadow; null leaves the template's locked password. */
const writeRootPassword = async (root: string, hash: string | null) => {
  if (hash !== null) {
    const shadow = await safeRead(root, 'etc/shadow');
    if (shadow === undefined) throw new Error('template has no /etc/shadow');
    const lines = shadow.split('\n').map((l) => (l.startsWith('root:') ? l.split(':').with(1, hash).join(':') : l));
    const gid = (await lstat(path.join(root, 'etc/shadow'))).gid; // group shadow: keep it
    await safeWrite(root, 'etc/shadow', lines.join('\n'), { mode: 0o640, gid });
    await safeWrite(root, 'etc/ssh/sshd_config.d/20-berth-password.conf', 'PermitRootLogin yes\n', { mode: 0o644 });
  } else {
    await safeRemove(root, 'etc/ssh/sshd_config.d/20-berth-password.conf');
  }
};

/** Static IPv4 for eth0 in whatever the template uses (ifupdown if present, else systemd-networkd). */
const writeNetwork = async (root: string, n: TServerSpec['network']) => {
  const cidr = `${n.ipv4}/${n.prefixLength}`;
  if (await exists(path.join(root, 'sbin/ifup'))) {
    const gw = n.gateway ? `    gateway ${n.gateway}\n` : '';
    const text = `auto lo\niface lo inet loopback\n\nauto eth0\niface eth0 inet static\n    address ${cidr}\n${gw}`;
    await safeWrite(root, 'etc/network/interfaces', text, { mode: 0o644 });
    return;
  }
  // No gateway means no default route: the VPS reaches only its own subnet.
  const gw = n.gateway ? `Gateway=${n.gateway}\n` : '';
  const text = `[Match]\nName=eth0\n\n[Network]\nAddress=${cidr}\n${gw}LinkLocalAddressing=no\nIPv6AcceptRA=no\n`;
  await safeWrite(root, 'etc/systemd/network/10-berth-eth0.network', text, { mode: 0o644 });
};

/**
 * Name and address of the VPS in its disk: what a disk restored from another server's backup must be told
 * (its files, host keys and root access stay as they were). Idempotent.
 */
export const writeNetworkIdentity = async (root: string, spec: TServerSpec): Promise<void> => {
  validateIdentity(spec);
  const short = spec.hostname.split('.')[0]!;
  const alias = short === spec.hostname ? short : `${spec.hostname} ${short}`;
  await safeWrite(root, 'etc/hostname', `${spec.hostname}\n`, { mode: 0o644 });
  const hosts = `127.0.0.1\tlocalhost\n127.0.1.1\t${alias}\n${spec.network.ipv4}\t${alias}\n::1\tlocalhost ip6-localhost ip6-loopback\n`;
  await safeWrite(root, 'etc/hosts', hosts, { mode: 0o644 });
  await writeNetwork(root, spec.network);
};

/** A new /etc/machine-id: a server restored from another's backup must not share its journal and DHCP identity. */
export const renewMachineId = (root: string) => safeWrite(root, 'etc/machine-id', `${randomBytes(16).toString('hex')}\n`, { mode: 0o444 });

/**
 * Per-VPS identity written into the mounted (not yet booted) image, as uid 0 on disk: the idmapped mount
 * shifts it to the VPS's own range. Idempotent: every file is rewritten from the spec, host keys and
 * machine-id are only created when missing.
 */
export const writeFirstBootFiles = async (root: string, spec: TServerSpec): Promise<void> => {
  await writeNetworkIdentity(root, spec);
  if (!(await safeRead(root, 'etc/machine-id'))?.trim()) {
    await safeWrite(root, 'etc/machine-id', `${randomBytes(16).toString('hex')}\n`, { mode: 0o444 });
  }
  await writeHostKeys(root);
  const keys = spec.access.sshKeys.map((k) => k.trim()).join('\n');
  await safeWrite(root, 'root/.ssh/authorized_keys', keys ? `${keys}\n` : '', { mode: 0o600, dirMode: 0o700 });
  await writeRootPassword(root, spec.access.rootPasswordHash);
};
