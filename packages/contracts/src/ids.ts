import { z } from 'zod';

// Every entity id carries its kind, so a pasted id is self-describing in logs and URLs.
export const ID_PREFIXES = {
  tenant: 'ten',
  user: 'usr',
  apiKey: 'key',
  plan: 'plan',
  template: 'tpl',
  host: 'host',
  ipPool: 'pool',
  ipAddress: 'ip',
  server: 'srv',
  operation: 'op',
  auditEvent: 'evt',
  sshKey: 'ssh',
  webhook: 'whk',
  webhookDelivery: 'whd',
  event: 'ev',
  planChange: 'spc',
  hostInstall: 'hin',
  ledgerEntry: 'led',
  invoice: 'inv',
  invoiceLine: 'invl',
  quarantine: 'qrn',
  snapshot: 'snap',
  backup: 'bkp',
  backupTarget: 'bkt',
} as const;

export type TIdKind = keyof typeof ID_PREFIXES;

const ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz'; // Crockford base32, lower case

/** A new random id like `srv_k3x9...` (20 chars of base32 = 100 bits). */
export const newId = (kind: TIdKind): string => {
  const bytes = new Uint8Array(20);
  crypto.getRandomValues(bytes);
  let out = '';
  for (const b of bytes) out += ALPHABET[b & 31];
  return `${ID_PREFIXES[kind]}_${out}`;
};

export const ZId = (kind: TIdKind) =>
  z.string().regex(new RegExp(`^${ID_PREFIXES[kind]}_[0-9a-z]{6,40}$`), `must be a ${ID_PREFIXES[kind]}_ id`);
