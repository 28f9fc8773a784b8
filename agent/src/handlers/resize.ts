import type { THandler } from './types.ts';

/** server.resize@1: the spec carries the new plan; applied live when running, at next start otherwise. */
export const handleResize: THandler = async ({ driver, spec, progress }) => {
  await progress('applying the new plan', 50);
  await driver.resize(spec);
  return driver.state(spec.serverId);
};
