import type { THandler } from './types.ts';

/** server.restart@1: a full stop then start, so the new boot picks up the current spec (limits, network). */
export const handleRestart: THandler = async ({ driver, spec, progress }) => {
  await progress('stopping', 10);
  await driver.stop(spec);
  await progress('booting', 50);
  await driver.start(spec);
  await progress('ready', 100);
  return 'running';
};
