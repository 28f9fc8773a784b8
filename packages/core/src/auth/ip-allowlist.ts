import { BlockList, isIP } from 'node:net';

/** An address or CIDR (IPv4 or IPv6) as an allowlist entry; null when it is not one. */
export const parseCidr = (entry: string): { address: string; prefix: number; family: 'ipv4' | 'ipv6' } | null => {
  const [address = '', bits, extra] = entry.trim().split('/');
  const v = isIP(address);
  if (!v || extra !== undefined) return null;
  const max = v === 4 ? 32 : 128;
  const prefix = bits === undefined ? max : Number(bits);
  if (!/^\d+$/.test(bits ?? String(max)) || prefix > max) return null;
  return { address, prefix, family: v === 4 ? 'ipv4' : 'ipv6' };
};

/** Whether `ip` is inside one of the CIDRs (IPv4-mapped IPv6 addresses count as IPv4). */
export const ipAllowed = (ip: string | null, cidrs: readonly string[]): boolean => {
  if (!ip) return false;
  const addr = ip.startsWith('::ffff:') && isIP(ip.slice(7)) === 4 ? ip.slice(7) : ip;
  const family = isIP(addr) === 4 ? 'ipv4' : isIP(addr) === 6 ? 'ipv6' : null;
  if (!family) return false;
  const list = new BlockList();
  for (const c of cidrs) {
    const p = parseCidr(c);
    if (p) list.addSubnet(p.address, p.prefix, p.family);
  }
  return list.check(addr, family);
};

/** Whether every address of CIDR `inner` is inside one of `outer` (same family, prefix at least as long). */
export const cidrWithin = (inner: string, outer: readonly string[]): boolean => {
  const i = parseCidr(inner);
  if (!i) return false;
  return outer.some((o) => {
    const p = parseCidr(o);
    if (!p || p.family !== i.family || p.prefix > i.prefix) return false;
    const list = new BlockList();
    list.addSubnet(p.address, p.prefix, p.family);
    return list.check(i.address, i.family); // the network address of `inner` in `outer`, with a longer prefix: all of it
  });
};
