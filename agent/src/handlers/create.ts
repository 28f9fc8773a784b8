import type { THandler } from './types.ts';

/** server.create@1: disk, first-boot files and config, then boot; succeeds only once the VPS is ready. */
export const handleCreate: THandler = async ({ driver, spec, progress }) => {
  await progress('creating disk and config', 10);
  await driver.create(spec);
  await progress('booting', 60);
  await driver.start(spec);
  await progress('ready', 100);
  return 'running';
};
