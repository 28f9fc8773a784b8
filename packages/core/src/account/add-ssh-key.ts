import { newId, type TCreateSshKeyRequest } from '@berth/contracts';
import { isUniqueViolation, type TDb } from '@berth/db';
import { requireScope, type TPrincipal } from '../auth/principal.ts';
import { recordAudit } from '../audit/record-audit.ts';
import { AppError } from '../errors/app-error.ts';
import { TX_OPTIONS } from '../tx-options.ts';
import { sshFingerprint } from './ssh-fingerprint.ts';
import { toSshKeyDto } from './to-ssh-key-dto.ts';

type TOptions = { db: TDb; principal: TPrincipal; input: TCreateSshKeyRequest };

/** Save an SSH public key for the caller; the same key twice is a 409. */
export const addSshKey = async ({ db, principal, input }: TOptions) => {
  requireScope(principal, 'account:write');
  const fingerprint = sshFingerprint(input.publicKey);
  try {
    return await db.$transaction(async (tx) => {
      const row = await tx.sshKey.create({ data: { id: newId('sshKey'), userId: principal.userId, name: input.name, publicKey: input.publicKey, fingerprint } });
      await recordAudit({ tx, principal, action: 'ssh_key.create', targetType: 'ssh_key', targetId: row.id, data: { fingerprint } });
      return toSshKeyDto(row);
    }, TX_OPTIONS);
  } catch (err) {
    if (isUniqueViolation(err)) throw new AppError('conflict', `You already saved the key ${fingerprint}.`);
    throw err;
  }
};
