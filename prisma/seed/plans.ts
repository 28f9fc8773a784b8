/** The plans a fresh install sells; prices in cents a month. io: bytes/s and IOPS, 0 = unlimited. */
export const SEED_PLANS = [
  { name: 'nano', cpuCores: 0.5, cpuWeight: 50, memoryMb: 512, swapMb: 256, diskGb: 5, ioReadBps: 50e6, ioWriteBps: 50e6, ioReadIops: 2000, ioWriteIops: 2000, pidsMax: 512, priceCentsMonthly: 300 },
  { name: 'small', cpuCores: 1, cpuWeight: 100, memoryMb: 1024, swapMb: 512, diskGb: 10, ioReadBps: 100e6, ioWriteBps: 100e6, ioReadIops: 4000, ioWriteIops: 4000, pidsMax: 1024, priceCentsMonthly: 600 },
  { name: 'medium', cpuCores: 2, cpuWeight: 200, memoryMb: 2048, swapMb: 1024, diskGb: 20, ioReadBps: 200e6, ioWriteBps: 200e6, ioReadIops: 8000, ioWriteIops: 8000, pidsMax: 2048, priceCentsMonthly: 1200 },
];

export const SEED_TEMPLATES = [{ name: 'debian-12', label: 'Debian 12 (bookworm)', imageRef: 'debian-12' }];
