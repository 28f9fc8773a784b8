// SSH as a customer would: a fresh ed25519 key, then `ssh root@ip` with it (never trusting known_hosts).
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

export const newSshKey = (): { keyFile: string; publicKey: string } => {
  const keyFile = path.join(mkdtempSync(path.join(tmpdir(), 'berth-ssh-')), 'id');
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', keyFile]);
  return { keyFile, publicKey: readFileSync(`${keyFile}.pub`, 'utf8').trim() };
};

export const ssh = (keyFile: string, ip: string, command: string, connectTimeoutS = 5) =>
  spawnSync('ssh', ['-i', keyFile, '-o', 'StrictHostKeyChecking=no', '-o', 'UserKnownHostsFile=/dev/null', '-o', 'BatchMode=yes',
    '-o', `ConnectTimeout=${connectTimeoutS}`, '-o', 'LogLevel=ERROR', `root@${ip}`, command], { encoding: 'utf8', timeout: 30_000 });
