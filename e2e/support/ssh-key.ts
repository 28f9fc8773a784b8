import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** A fresh, real ed25519 public key line (the panel checks the key blob, so a made-up string will not do). */
export const makeSshPublicKey = (comment = 'berth-e2e'): string => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'berth-e2e-key-'));
  try {
    const file = path.join(dir, 'id_ed25519');
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', comment, '-f', file]);
    return readFileSync(`${file}.pub`, 'utf8').trim();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
};
