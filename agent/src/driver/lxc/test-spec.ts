import { newId, type TServerSpec } from '@berth/contracts';

/** A hand-made ServerSpec for the real-LXC tests: `slot` picks the VPS's own uid range and address. */
export const testSpec = (slot: number, over: Partial<TServerSpec> = {}): TServerSpec => ({
  serverId: newId('server'),
  hostname: `test-${slot}`,
  imageRef: 'debian-12',
  limits: { cpuCores: 1, cpuWeight: 100, memoryMb: 256, swapMb: 0, diskGb: 2, ioReadBps: 0, ioWriteBps: 0,
    ioReadIops: 0, ioWriteIops: 0, pidsMax: 256 },
  network: { bridge: 'berth0', ipv4: `198.18.0.${slot}`, prefixLength: 24, gateway: null,
    mac: `02:be:00:00:00:${slot.toString(16).padStart(2, '0')}`, peers: [], rateMbit: null },
  // Slots from 14000 up: never handed out by a seeded panel (0-11999) or the e2e stacks (12000-12999).
  idmap: { uidBase: 1_000_000 + 65_536 * (14_000 + slot), count: 65_536 },
  access: { sshKeys: [], rootPasswordHash: null },
  features: { nesting: false },
  ...over,
});
