import { createHash } from 'node:crypto';

/** OpenSSH's SHA256 fingerprint of a public key line (`ssh-keygen -lf` prints the same). */
export const sshFingerprint = (publicKey: string): string =>
  `SHA256:${createHash('sha256').update(Buffer.from(publicKey.trim().split(/\s+/)[1] ?? '', 'base64')).digest('base64').replace(/=+$/, '')}`;
