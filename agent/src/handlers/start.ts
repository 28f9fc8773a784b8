import type { THandler } from './types.ts';

/** server.start@1: boot (or, if already running, just confirm readiness). */
export const handleStart: THandler = async ({ driver, spec, progress }) => {
  await progress('booting', 20);
  await driver.start(spec);
  await progress('ready', 100);
  return 'running';
};
