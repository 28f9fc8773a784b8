/**
 * Host addresses of an IPv4 CIDR, minus network, broadcast and the first address (the host's bridge);
 * `range` ("first-last" host offsets) narrows it, e.g. "2-159" of a /24.
 */
export const usableAddresses = (cidr: string, range?: string): { addresses: string[]; prefixLength: number; bridgeAddress: string } => {
  const [base, len] = cidr.split('/');
  const prefixLength = Number(len);
  const octets = base!.split('.').map(Number);
  const start = ((octets[0]! << 24) | (octets[1]! << 16) | (octets[2]! << 8) | octets[3]!) >>> 0;
  const size = 2 ** (32 - prefixLength);
  const network = start & ~(size - 1) >>> 0;
  const toIp = (n: number) => [24, 16, 8, 0].map((s) => (n >>> s) & 255).join('.');
  const addresses: string[] = [];
  const [lo, hi] = range ? range.split('-').map(Number) : [2, size - 2];
  for (let i = Math.max(2, lo!); i <= Math.min(size - 2, hi!); i++) addresses.push(toIp((network + i) >>> 0));
  return { addresses, prefixLength, bridgeAddress: toIp((network + 1) >>> 0) };
};
