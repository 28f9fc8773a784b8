import { randomBytes } from 'node:crypto';

/** A random locally-administered unicast MAC (02:...), so it never collides with real hardware vendors. */
export const randomMac = (): string => {
  const b = randomBytes(6);
  b[0] = (b[0]! & 0xfc) | 0x02;
  return [...b].map((x) => x.toString(16).padStart(2, '0')).join(':');
};
