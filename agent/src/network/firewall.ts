import { run } from '../exec/run.ts';
import { BRIDGE, VETH_PREFIX } from './names.ts';

const V = `"${VETH_PREFIX}*"`;

/**
 * Berth's own nftables tables (never anything else in the ruleset). Re-applied atomically on every boot
 * and before every VPS start: `add` keeps existing sets and their elements, the chains are flushed and
 * refilled in the same transaction, so there is no window without rules.
 * A VPS port whose (ifname, MAC) / (ifname, IPv4) is not in the sets is dropped: unknown = denied.
 * Nothing is ever routed to or from the bridge (inet forward); frames between two VPS ports (which
 * br_netfilter also shows to inet forward) are judged by the bridge forward chain: dropped unless peers.
 * That chain runs at priority -100, well before br_netfilter's own forward hooks (0, or -1 on older kernels):
 * br_netfilter diverts IPv4/ARP frames there and, re-injecting them, skips every other bridge hook up to its
 * own priority, so a chain at 0 registered after it (the bridge existed first) never saw a frame between VPSes. It is deleted and re-added
 * in the same transaction (a base chain's priority cannot change in place; hosts set up earlier had 0).
 * A throttled port (rate_in / rate_out maps) jumps to its own chains, whose limit buckets are its alone:
 * what it sends is policed in prerouting, what it receives in postrouting (from the host or a peer alike).
 * Hosts share an L2 segment (pools span hosts, VPSes migrate keeping their address), so a VPS of another host
 * arrives through the uplink, not from a VPS port: IPv4 and ARP entering a VPS port from any other port with
 * a source inside the VPS's own subnet (`nets`) is dropped unless it is the subnet's gateway (`gateways`).
 * The gateway, the internet behind it and the host itself still reach the VPS.
 */
const RULESET = `
table bridge berth
table inet berth
add set bridge berth macs { type ifname . ether_addr; }
add set bridge berth ips { type ifname . ipv4_addr; }
add set bridge berth peers { type ifname . ifname; }
add set bridge berth nets { type ifname . ipv4_addr; flags interval; }
add set bridge berth gateways { type ifname . ipv4_addr; }
add chain bridge berth prerouting { type filter hook prerouting priority -200; policy accept; }
add map bridge berth rate_in { type ifname : verdict; }
add map bridge berth rate_out { type ifname : verdict; }
add chain bridge berth postrouting { type filter hook postrouting priority 0; policy accept; }
add chain inet berth input { type filter hook input priority 0; policy accept; }
add chain inet berth forward { type filter hook forward priority 0; policy accept; }
flush chain bridge berth prerouting
add chain bridge berth forward
flush chain bridge berth forward
delete chain bridge berth forward
add chain bridge berth forward { type filter hook forward priority -100; policy accept; }
flush chain bridge berth postrouting
flush chain inet berth input
flush chain inet berth forward
add rule bridge berth prerouting iifname ${V} ether type != { ip, arp } drop
add rule bridge berth prerouting iifname ${V} iifname . ether saddr != @macs drop
add rule bridge berth prerouting iifname ${V} ether type arp iifname . arp saddr ether != @macs drop
add rule bridge berth prerouting iifname ${V} ether type arp iifname . arp saddr ip != @ips drop
add rule bridge berth prerouting iifname ${V} ether type ip iifname . ip saddr != @ips drop
add rule bridge berth prerouting iifname ${V} iifname vmap @rate_in
add rule bridge berth postrouting oifname ${V} oifname vmap @rate_out
add rule bridge berth forward iifname != ${V} oifname ${V} ether type ip oifname . ip saddr @gateways accept
add rule bridge berth forward iifname != ${V} oifname ${V} ether type ip oifname . ip saddr @nets drop
add rule bridge berth forward iifname != ${V} oifname ${V} ether type arp oifname . arp saddr ip @gateways accept
add rule bridge berth forward iifname != ${V} oifname ${V} ether type arp oifname . arp saddr ip @nets drop
add rule bridge berth forward iifname ${V} oifname ${V} iifname . oifname @peers accept
add rule bridge berth forward iifname ${V} oifname ${V} drop
add rule inet berth input iifname "${BRIDGE}" ct state established,related accept
add rule inet berth input iifname "${BRIDGE}" icmp type echo-request accept
add rule inet berth input iifname "${BRIDGE}" drop
add rule inet berth forward iifname "${BRIDGE}" oifname != "${BRIDGE}" drop
add rule inet berth forward oifname "${BRIDGE}" iifname != "${BRIDGE}" drop
`;

export const ensureFirewall = async (): Promise<void> => {
  await run('nft', ['-f', '-'], { input: RULESET });
};

type TElem = { concat: [string, string | { prefix: { addr: string; len: number } }] };
type TSet = 'macs' | 'ips' | 'peers' | 'nets' | 'gateways';

/** Current elements of one of our sets whose ifname is `ifname`. */
const elementsOf = async (set: TSet, ifname: string): Promise<string[]> => {
  const { stdout } = await run('nft', ['-j', 'list', 'set', 'bridge', 'berth', set]);
  const json = JSON.parse(stdout) as { nftables: Array<{ set?: { elem?: TElem[] } }> };
  const elems = json.nftables.find((o) => o.set)?.set?.elem ?? [];
  return elems.filter((e) => e.concat?.[0] === ifname)
    .map((e) => (typeof e.concat[1] === 'string' ? e.concat[1] : `${e.concat[1].prefix.addr}/${e.concat[1].prefix.len}`));
};

/** The subnet of an address, as nft writes it (a.b.c.d/len with the host bits cleared). */
export const subnetOf = (ipv4: string, prefixLength: number) => {
  const n = ipv4.split('.').reduce((acc, o) => (acc << 8n) | BigInt(Number(o)), 0n);
  const masked = n & (((1n << 32n) - 1n) ^ ((1n << BigInt(32 - prefixLength)) - 1n));
  return `${[24n, 16n, 8n, 0n].map((s) => String((masked >> s) & 255n)).join('.')}/${prefixLength}`;
};

/** Delete lines for every element of the port in the given sets. */
const portDeletes = async (ifname: string, sets: TSet[]) =>
  (await Promise.all(sets.map(async (set) => (await elementsOf(set, ifname)).map((v) => `delete element bridge berth ${set} { "${ifname}" . ${v} }`)))).flat();

/**
 * Replace the VPS's allowed MAC and IPv4, and its subnet and gateway (what may reach it from other hosts),
 * in one transaction (stale values from an older spec go too).
 */
export const allowPort = async (ifname: string, mac: string, ipv4: string, net: { prefixLength: number; gateway: string | null }): Promise<void> => {
  await ensureFirewall();
  const lines = [
    ...(await portDeletes(ifname, ['macs', 'ips', 'nets', 'gateways'])),
    `add element bridge berth macs { "${ifname}" . ${mac} }`,
    `add element bridge berth ips { "${ifname}" . ${ipv4} }`,
    `add element bridge berth nets { "${ifname}" . ${subnetOf(ipv4, net.prefixLength)} }`,
    ...(net.gateway ? [`add element bridge berth gateways { "${ifname}" . ${net.gateway} }`] : []),
  ];
  await run('nft', ['-f', '-'], { input: lines.join('\n') + '\n' });
};

/** `delete element` lines for every (ifname, peer) pair of the port, in both directions. */
const peerDeletes = async (ifname: string): Promise<string[]> => {
  const { stdout } = await run('nft', ['-j', 'list', 'set', 'bridge', 'berth', 'peers']);
  const json = JSON.parse(stdout) as { nftables: Array<{ set?: { elem?: TElem[] } }> };
  return (json.nftables.find((o) => o.set)?.set?.elem ?? [])
    .filter((e) => e.concat?.[0] === ifname || e.concat?.[1] === ifname)
    .map((e) => `delete element bridge berth peers { "${e.concat[0]}" . "${e.concat[1]}" }`);
};

/**
 * The ports this VPS may exchange frames with (same tenant, opted in), both ways; replaces what was there.
 * Everything else between VPS ports stays dropped. Call after allowPort, which has just ensured the tables.
 */
export const setPeers = async (ifname: string, peers: string[]): Promise<void> => {
  const lines = [
    ...(await peerDeletes(ifname)),
    ...peers.flatMap((p) => [`add element bridge berth peers { "${ifname}" . "${p}" }`, `add element bridge berth peers { "${p}" . "${ifname}" }`]),
  ];
  if (lines.length) await run('nft', ['-f', '-'], { input: lines.join('\n') + '\n' });
};

/** Remove every element of the VPS port; nothing there (or no table at all) is fine. */
export const forgetPort = async (ifname: string): Promise<void> => {
  await ensureFirewall();
  const lines = [
    ...(await portDeletes(ifname, ['macs', 'ips', 'nets', 'gateways'])),
    ...(await peerDeletes(ifname)),
    ...(await rateDeletes(ifname)),
  ];
  if (lines.length) await run('nft', ['-f', '-'], { input: lines.join('\n') + '\n' });
};

/** The (mac, ipv4) pairs currently allowed for a port (tests and diagnostics). */
export const portElements = async (ifname: string) => ({
  macs: await elementsOf('macs', ifname),
  ips: await elementsOf('ips', ifname),
});

type TMapElem = { key: string };

/** Ports present in a rate map. */
const rateKeys = async (map: 'rate_in' | 'rate_out'): Promise<string[]> => {
  const { stdout } = await run('nft', ['-j', 'list', 'map', 'bridge', 'berth', map]);
  const json = JSON.parse(stdout) as { nftables: Array<{ map?: { elem?: Array<[string, unknown] | TMapElem> } }> };
  return (json.nftables.find((o) => o.map)?.map?.elem ?? []).map((e) => (Array.isArray(e) ? e[0] : e.key)).filter((k): k is string => typeof k === 'string');
};

/** nft lines that take a port out of the rate maps and drop its chains (nothing there is fine). */
const rateDeletes = async (ifname: string): Promise<string[]> => {
  const lines: string[] = [];
  for (const [map, chain] of [['rate_in', `rin_${ifname}`], ['rate_out', `rout_${ifname}`]] as const) {
    if ((await rateKeys(map)).includes(ifname)) lines.push(`delete element bridge berth ${map} { "${ifname}" }`);
  }
  const { stdout } = await run('nft', ['-j', 'list', 'chains', 'bridge']);
  const chains = (JSON.parse(stdout) as { nftables: Array<{ chain?: { table: string; name: string } }> }).nftables
    .flatMap((o) => (o.chain?.table === 'berth' ? [o.chain.name] : []));
  for (const c of [`rin_${ifname}`, `rout_${ifname}`]) if (chains.includes(c)) lines.push(`flush chain bridge berth ${c}`, `delete chain bridge berth ${c}`);
  return lines;
};

/**
 * Cap a VPS port at `mbit` in each direction (frames over the rate are dropped, and counted), or lift the
 * cap with null. Replaces any previous cap in one transaction. Call after allowPort (tables ensured).
 */
export const setRate = async (ifname: string, mbit: number | null): Promise<void> => {
  const lines = await rateDeletes(ifname);
  if (mbit !== null) {
    const kbytes = Math.max(1, Math.round((mbit * 1_000_000) / 8 / 1024)); // nft's kbytes are KiB
    const burst = Math.max(64, Math.round(kbytes / 10));
    for (const [map, chain] of [['rate_in', `rin_${ifname}`], ['rate_out', `rout_${ifname}`]] as const) {
      lines.push(
        `add chain bridge berth ${chain}`,
        `add rule bridge berth ${chain} limit rate over ${kbytes} kbytes/second burst ${burst} kbytes counter drop`,
        `add element bridge berth ${map} { "${ifname}" : jump ${chain} }`,
      );
    }
  }
  if (lines.length) await run('nft', ['-f', '-'], { input: lines.join('\n') + '\n' });
};

/** Frames dropped so far by a port's cap, per direction (null: not capped). For tests and diagnostics. */
export const rateDrops = async (ifname: string): Promise<{ in: number; out: number } | null> => {
  const read = async (chain: string) => {
    const r = await run('nft', ['-j', 'list', 'chain', 'bridge', 'berth', chain], { okCodes: [0, 1] });
    if (r.exitCode !== 0) return null;
    const rules = (JSON.parse(r.stdout) as { nftables: Array<{ rule?: { expr: Array<{ counter?: { packets: number } }> } }> }).nftables;
    return rules.flatMap((o) => o.rule?.expr ?? []).reduce((n, e) => n + (e.counter?.packets ?? 0), 0);
  };
  const [i, o] = [await read(`rin_${ifname}`), await read(`rout_${ifname}`)];
  return i === null || o === null ? null : { in: i, out: o };
};
