import type { THandler } from './types.ts';

const message = (e: unknown) => (e instanceof Error ? e.message : String(e));

/**
 * server.rescue@1: stop, arm the rescue system (the server's disk at /mnt), boot it; succeeds once SSH answers.
 * A rescue system that does not come up is disarmed again: the panel records rescue mode only on success, and
 * the agent's marker must agree with it (or the next start would boot the rescue system unannounced).
 */
export const handleRescue: THandler = async ({ driver, spec, progress }) => {
  await progress('stopping and preparing the rescue system', 20);
  try {
    await driver.rescue(spec);
    await progress('booting the rescue system', 60);
    await driver.start(spec);
  } catch (e) {
    // Only if it was armed: a server not on this host must not get a config (and look like a container) here.
    if (await driver.inRescue(spec.serverId).catch(() => false)) {
      await driver.unrescue(spec).catch((u: unknown) => console.warn(`${spec.serverId}: leaving a failed rescue: ${message(u)}`));
    }
    throw e;
  }
  await progress('rescue system ready', 100);
  return 'running';
};

/**
 * server.unrescue@1: stop the rescue system, boot the server's own; succeeds once ready. Once out of rescue mode
 * the operation has done what it was for: a server's own system that still does not boot (often why it was in
 * rescue) is reported as stopped, with the reason, not as a failure that would leave the panel saying "rescue".
 */
export const handleUnrescue: THandler = async ({ driver, spec, progress }) => {
  await progress('leaving rescue mode', 20);
  await driver.unrescue(spec);
  await progress('booting', 60);
  try {
    await driver.start(spec);
  } catch (e) {
    await progress(`left rescue mode; the server's own system did not start: ${message(e).slice(0, 300)}`, 100);
    return driver.state(spec.serverId);
  }
  await progress('ready', 100);
  return 'running';
};
