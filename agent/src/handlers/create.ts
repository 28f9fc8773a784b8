import { restoreDisk } from './restore.ts';
import type { THandler } from './types.ts';

/**
 * server.create@1: disk, first-boot files and config, then boot; succeeds only once the VPS is ready. A server
 * made from a backup gets that disk instead (its files, host keys and root access; this server's name and address).
 */
export const handleCreate: THandler = async ({ driver, spec, restore, progress }) => {
  if (restore && (await driver.state(spec.serverId)) !== 'running') {
    await restoreDisk({ driver, spec, restore, progress, newIdentity: true });
  } else {
    await progress('creating disk and config', 10);
    await driver.create(spec);
  }
  await progress('booting', 80);
  await driver.start(spec);
  await progress('ready', 100);
  return 'running';
};
