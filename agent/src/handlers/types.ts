import type { TBackupJobInfo, TMigrationTarget, TRestoreJobInfo, TServerSpec, TServerState } from '@berth/contracts';
import type { ContainerDriver } from '../driver/driver.ts';

export type THandlerInput = {
  driver: ContainerDriver;
  spec: TServerSpec;
  /** Where the VPS goes (server.migrate@1 only). */
  migration?: TMigrationTarget;
  /** The snapshot a snapshot job is about. */
  snapshot?: { snapshotId: string };
  /** server.backup@1: what to write where. */
  backup?: TBackupJobInfo;
  /** server.restore@1, or a server.create@1 from a backup: where its disk comes from. */
  restore?: TRestoreJobInfo;
  /** Report a step to the panel (0-100); best effort, never fails the job. */
  progress: (step: string, percent: number) => Promise<void>;
};

/** The state a handler left the VPS in, and what it produced for the panel (a backup's digest and sizes). */
export type THandlerOutcome = { state: TServerState; result?: Record<string, string | number> };

/** One handler per server.* job; resolves with the state it left the VPS in (and maybe a result). */
export type THandler = (input: THandlerInput) => Promise<TServerState | THandlerOutcome>;
