import type { THandler } from './types.ts';

/** server.destroy@1: leaves nothing of the VPS on the host; destroying what is already gone succeeds. */
export const handleDestroy: THandler = async ({ driver, spec, progress }) => {
  await progress('destroying', 20);
  await driver.destroy(spec);
  await progress('destroyed', 100);
  return 'absent';
};
