import type { THandler } from './types.ts';

/** server.rescue@1: stop, arm the rescue system (the server's disk at /mnt), boot it; succeeds once SSH answers. */
export const handleRescue: THandler = async ({ driver, spec, progress }) => {
  await progress('stopping and preparing the rescue system', 20);
  await driver.rescue(spec);
  await progress('booting the rescue system', 60);
  await driver.start(spec);
  await progress('rescue system ready', 100);
  return 'running';
};

/** server.unrescue@1: stop the rescue system, boot the server's own; succeeds once ready. */
export const handleUnrescue: THandler = async ({ driver, spec, progress }) => {
  await progress('leaving rescue mode', 20);
  await driver.unrescue(spec);
  await progress('booting', 60);
  await driver.start(spec);
  await progress('ready', 100);
  return 'running';
};
