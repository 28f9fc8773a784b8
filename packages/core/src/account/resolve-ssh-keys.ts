import type { TDb } from '@berth/db';
import type { TPrincipal } from '../auth/principal.ts';
import { AppError } from '../errors/app-error.ts';

type TOptions = { db: TDb; principal: TPrincipal; sshKeys?: string[]; sshKeyIds?: string[] };

/**
 * The public keys to install: those given inline plus the caller's saved keys named by id (someone else's
 * id is as unknown as a made-up one). undefined when neither was given.
 */
export const resolveSshKeys = async ({ db, principal, sshKeys, sshKeyIds }: TOptions): Promise<string[] | undefined> => {
  if (!sshKeys && !sshKeyIds) return undefined;
  const saved = sshKeyIds?.length ? await db.sshKey.findMany({ where: { id: { in: sshKeyIds }, userId: principal.userId } }) : [];
  const missing = (sshKeyIds ?? []).filter((id) => !saved.some((k) => k.id === id));
  if (missing.length) {
    throw new AppError('validation_failed', 'Unknown SSH key ids.', { fieldErrors: missing.map((id) => ({ path: 'sshKeyIds', message: `no saved key ${id}` })) });
  }
  const all = [...(sshKeys ?? []), ...saved.map((k) => k.publicKey)];
  return [...new Set(all)].slice(0, 64);
};
