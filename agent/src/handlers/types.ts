import type { TMigrationTarget, TServerSpec, TServerState } from '@berth/contracts';
import type { ContainerDriver } from '../driver/driver.ts';

export type THandlerInput = {
  driver: ContainerDriver;
  spec: TServerSpec;
  /** Where the VPS goes (server.migrate@1 only). */
  migration?: TMigrationTarget;
  /** Report a step to the panel (0-100); best effort, never fails the job. */
  progress: (step: string, percent: number) => Promise<void>;
};

/** One handler per server.* job; resolves with the state it left the VPS in. */
export type THandler = (input: THandlerInput) => Promise<TServerState>;
