import type { THandler } from './types.ts';

/** server.network@1: the tenant changed its private-network setting; re-apply this VPS's filter live. */
export const handleNetwork: THandler = async ({ driver, spec, progress }) => {
  await progress('applying the network policy', 50);
  await driver.applyNetwork(spec);
  return driver.state(spec.serverId);
};
