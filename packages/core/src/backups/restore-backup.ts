import type { TDb } from '@berth/db';
import type { TPrincipal } from '../auth/principal.ts';
import { startBackupRead } from './start-backup-read.ts';

type TOptions = { db: TDb; principal: TPrincipal; backupId: string };

/**
 * Put a backup back onto its own server: the disk is rebuilt from the backup (every chunk checked) while the
 * server runs on, then the server is stopped, its disk replaced and started. A corrupt backup fails the
 * operation and leaves the disk as it was.
 */
export const restoreBackup = ({ db, principal, backupId }: TOptions) =>
  startBackupRead({
    db, principal, backupId, type: 'restore', permission: 'reinstall',
    refusals: {
      deleted: 'Its server was deleted: restore it to a new server (POST /backups/{id}/servers).',
      unreachable: 'The server\'s host does not reach the target holding this backup; restore it to a new server instead.',
    },
  });
