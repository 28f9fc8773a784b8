import type { THandler } from './types.ts';

/** server.stop@1: clean shutdown, killed after the driver's timeout. */
export const handleStop: THandler = async ({ driver, spec, progress }) => {
  await progress('stopping', 20);
  await driver.stop(spec);
  await progress('stopped', 100);
  return driver.state(spec.serverId); // 'absent' if there was nothing to stop
};
