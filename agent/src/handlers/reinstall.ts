import type { THandler } from './types.ts';

/** server.reinstall@1: a fresh disk from the template, then boot; succeeds only once the VPS is ready. */
export const handleReinstall: THandler = async ({ driver, spec, progress }) => {
  await progress('wiping and rebuilding the disk', 10);
  await driver.reinstall(spec);
  await progress('booting', 60);
  await driver.start(spec);
  await progress('ready', 100);
  return 'running';
};
