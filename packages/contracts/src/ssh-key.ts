import { z } from 'zod';

const KEY_TYPES = [
  'ssh-ed25519',
  'ssh-rsa',
  'ecdsa-sha2-nistp256',
  'ecdsa-sha2-nistp384',
  'ecdsa-sha2-nistp521',
  'sk-ssh-ed25519@openssh.com',
  'sk-ecdsa-sha2-nistp256@openssh.com',
] as const;

/** True when the base64 blob really encodes a key of the announced type (catches pasted garbage). */
const blobMatchesType = (type: string, b64: string): boolean => {
  let bin: string;
  try {
    bin = atob(b64);
  } catch {
    return false;
  }
  if (bin.length < 4 + type.length + 16) return false;
  const len = (bin.charCodeAt(0) << 24) | (bin.charCodeAt(1) << 16) | (bin.charCodeAt(2) << 8) | bin.charCodeAt(3);
  return len === type.length && bin.slice(4, 4 + len) === type;
};

/** One OpenSSH public key line: `type base64 [comment]`, no options, no newlines. */
export const ZSshPublicKey = z
  .string()
  .trim()
  .max(16384)
  .refine((s) => !/[\r\n]/.test(s), 'must be a single line')
  .refine((s) => {
    const [type, blob] = s.split(/\s+/);
    return (KEY_TYPES as readonly string[]).includes(type ?? '') && !!blob && blobMatchesType(type!, blob);
  }, 'must be an OpenSSH public key (ssh-ed25519, ssh-rsa or ecdsa)');
