import type { TDb } from '@berth/db';
import type { TPrincipal } from '../auth/principal.ts';
import { findBackup } from './find-backup.ts';
import { toBackupDto } from './to-backup-dto.ts';

type TOptions = { db: TDb; principal: TPrincipal; backupId: string };

export const getBackup = async ({ db, principal, backupId }: TOptions) =>
  toBackupDto((await findBackup({ db, principal, backupId, scope: 'servers:read', permission: 'view' })).backup);
