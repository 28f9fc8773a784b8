import type { TDb } from '@berth/db';
import type { TPrincipal } from '../auth/principal.ts';
import { startBackupRead } from './start-backup-read.ts';

type TOptions = { db: TDb; principal: TPrincipal; backupId: string };

/**
 * Read a backup back from its target on its server's host and check its manifest and every chunk against their
 * sha256, writing nothing: the server runs on (an operation on it, so it waits for others). Success stamps
 * `verifiedAt`; a corrupt chunk takes the backup and those built on it out of use, as a restore that found it
 * would. The backup is a reader meanwhile: no deletion, expiry or retention removes it.
 */
export const verifyBackup = ({ db, principal, backupId }: TOptions) =>
  startBackupRead({
    db, principal, backupId, type: 'backup_verify', permission: 'backup',
    refusals: {
      deleted: 'Its server was deleted: a backup is verified on its server\'s host (restore it to a new server to check it).',
      unreachable: 'The server\'s host does not reach the target holding this backup.',
    },
  });
