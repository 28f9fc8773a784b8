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
};
