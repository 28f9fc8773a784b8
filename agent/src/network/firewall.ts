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
 */
const RULESET = `
table bridge berth
table inet berth
add set bridge berth macs { type ifname . ether_addr; }
add set bridge berth ips { type ifname . ipv4_addr; }
add set bridge berth peers { type ifname . ifname; }
add chain bridge berth prerouting { type filter hook prerouting priority -200; policy accept; }
add chain bridge berth forward { type filter hook forward priority 0; policy accept; }
add chain inet berth input { type filter hook input priority 0; policy accept; }
add chain inet berth forward { type filter hook forward priority 0; policy accept; }
flush chain bridge berth prerouting
flush chain bridge berth forward
flush chain inet berth input
flush chain inet berth forward
add rule bridge berth prerouting iifname ${V} ether type != { ip, arp } drop
add rule bridge berth prerouting iifname ${V} iifname . ether saddr != @macs drop
add rule bridge berth prerouting iifname ${V} ether type arp iifname . arp saddr ether != @macs drop
add rule bridge berth prerouting iifname ${V} ether type arp iifname . arp saddr ip != @ips drop
add rule bridge berth prerouting iifname ${V} ether type ip iifname . ip saddr != @ips drop
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

type TElem = { concat: [string, string] };
type TSet = 'macs' | 'ips' | 'peers';

/** Current elements of one of our sets whose ifname is `ifname`. */
const elementsOf = async (set: TSet, ifname: string): Promise<string[]> => {
  const { stdout } = await run('nft', ['-j', 'list', 'set', 'bridge', 'berth', set]);
  const json = JSON.parse(stdout) as { nftables: Array<{ set?: { elem?: TElem[] } }> };
  const elems = json.nftables.find((o) => o.set)?.set?.elem ?? [];
  return elems.filter((e) => e.concat?.[0] === ifname).map((e) => e.concat[1]);
};

/** Replace the VPS's allowed MAC and IPv4 in one transaction (stale values from an older spec go too). */
export const allowPort = async (ifname: string, mac: string, ipv4: string): Promise<void> => {
  await ensureFirewall();
  const lines = [
    ...(await elementsOf('macs', ifname)).map((m) => `delete element bridge berth macs { "${ifname}" . ${m} }`),
    ...(await elementsOf('ips', ifname)).map((ip) => `delete element bridge berth ips { "${ifname}" . ${ip} }`),
    `add element bridge berth macs { "${ifname}" . ${mac} }`,
    `add element bridge berth ips { "${ifname}" . ${ipv4} }`,
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
    ...(await elementsOf('macs', ifname)).map((m) => `delete element bridge berth macs { "${ifname}" . ${m} }`),
    ...(await elementsOf('ips', ifname)).map((ip) => `delete element bridge berth ips { "${ifname}" . ${ip} }`),
    ...(await peerDeletes(ifname)),
  ];
  if (lines.length) await run('nft', ['-f', '-'], { input: lines.join('\n') + '\n' });
};

/** The (mac, ipv4) pairs currently allowed for a port (tests and diagnostics). */
export const portElements = async (ifname: string) => ({
  macs: await elementsOf('macs', ifname),
  ips: await elementsOf('ips', ifname),
});
