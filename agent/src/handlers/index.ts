import type { TJobName } from '@berth/jobs';
import { handleCreate } from './create.ts';
import { handleDestroy } from './destroy.ts';
import { handleMigrate } from './migrate.ts';
import { handleNetwork } from './network.ts';
import { handleReinstall } from './reinstall.ts';
import { handleResize } from './resize.ts';
import { handleRestart } from './restart.ts';
import { handleStart } from './start.ts';
import { handleStop } from './stop.ts';
import { handleBackup } from './backup.ts';
import { handleBackupVerify } from './backup-verify.ts';
import { handleRescue, handleUnrescue } from './rescue.ts';
import { handleRestore } from './restore.ts';
import { handleSnapshot } from './snapshot.ts';
import { handleSnapshotDelete } from './snapshot-delete.ts';
import { handleSnapshotRestore } from './snapshot-restore.ts';
import type { THandler } from './types.ts';

/** The jobs this agent consumes from its host queue. */
export const HANDLERS: Partial<Record<TJobName, THandler>> = {
  'server.create@1': handleCreate,
  'server.start@1': handleStart,
  'server.stop@1': handleStop,
  'server.restart@1': handleRestart,
  'server.destroy@1': handleDestroy,
  'server.resize@1': handleResize,
  'server.reinstall@1': handleReinstall,
  'server.network@1': handleNetwork,
  'server.migrate@1': handleMigrate,
  'server.snapshot@1': handleSnapshot,
  'snapshot.restore@1': handleSnapshotRestore,
  'snapshot.delete@1': handleSnapshotDelete,
  'server.backup@1': handleBackup,
  'server.restore@1': handleRestore,
  'server.rescue@1': handleRescue,
  'server.unrescue@1': handleUnrescue,
  'backup.verify@1': handleBackupVerify,
};
