// The rig's networks (docs/two-host-rig.md). Root namespace: a management bridge and the VPS "switch",
// both only ever bridges with no route off the machine (no forwarding, no NAT). Per host: a network
// namespace with its management veth (eth0) and its own `berth0`, uplinked to the switch.
import { writeFile } from 'node:fs/promises';
import { BRIDGE } from '../../agent/src/network/names.ts';
import { exec, must, tryRun } from './rig-exec.ts';

export const MGMT_BRIDGE = 'rigbr';
export const SWITCH_BRIDGE = 'rigsw';
export const MGMT_GATEWAY = '10.250.0.1';
export const SWITCH_GATEWAY = '10.251.0.1';
export const SWITCH_CIDR = '10.251.0.0/24';
export const NETNS_PREFIX = 'berthrig-';
const NFT_TABLE = 'berth_rig';

/** Names and addresses of host number `index`; host names are short so veth names fit IFNAMSIZ. */
export const hostNet = (name: string, index: number) => {
  if (!/^[a-z][a-z0-9]{0,7}$/.test(name)) throw new Error(`rig host name "${name}": 1-8 chars of a-z0-9, starting with a letter`);
  if (index > 40) throw new Error('rig: at most 40 hosts');
  return {
    netns: `${NETNS_PREFIX}${name}`,
    mgmtIp: `10.250.0.${2 + index}`,
    // The host's own address on its berth0, as a real host has one: the agent's readiness probe (ssh port) needs it.
    switchIp: `10.251.0.${2 + index}`,
    mgmtVeth: `rm-${name}`,
    uplinkVeth: `rs-${name}`,
  };
};
export type THostNet = ReturnType<typeof hostNet>;

// VPSes reach the root namespace only as their gateway answering pings (and replies to what tests send
// them): never its services, nor the management network behind it.
const RULESET = `
table inet ${NFT_TABLE} {
  chain input {
    type filter hook input priority 0; policy accept;
    iifname "${SWITCH_BRIDGE}" ct state established,related accept
    iifname "${SWITCH_BRIDGE}" ip daddr ${SWITCH_GATEWAY} icmp type echo-request accept
    iifname "${SWITCH_BRIDGE}" drop
  }
  chain forward {
    type filter hook forward priority 0; policy accept;
    iifname "${SWITCH_BRIDGE}" oifname != "${SWITCH_BRIDGE}" drop
    oifname "${SWITCH_BRIDGE}" iifname != "${SWITCH_BRIDGE}" drop
  }
}
`;

const ip = (...args: string[]) => must('ip', args);
const noIpv6 = (dev: string) => writeFile(`/proc/sys/net/ipv6/conf/${dev}/disable_ipv6`, '1');

const addBridge = async (name: string, cidr: string, netns?: string) => {
  const n = netns ? ['-n', netns] : [];
  await ip(...n, 'link', 'add', 'name', name, 'type', 'bridge', 'stp_state', '0', 'forward_delay', '0');
  if (!netns) await noIpv6(name);
  await ip(...n, 'addr', 'add', cidr, 'dev', name);
  await ip(...n, 'link', 'set', 'dev', name, 'up');
};

export const createRootNet = async (): Promise<void> => {
  await addBridge(MGMT_BRIDGE, `${MGMT_GATEWAY}/24`);
  await addBridge(SWITCH_BRIDGE, `${SWITCH_GATEWAY}/24`);
  await must('nft', ['-f', '-'], { input: RULESET });
};

/** A veth from a root bridge into the host's namespace, named `inner` there. */
const addVeth = async (h: THostNet, outer: string, inner: string, bridge: string) => {
  await ip('link', 'add', outer, 'type', 'veth', 'peer', 'name', inner, 'netns', h.netns);
  await noIpv6(outer);
  await ip('link', 'set', 'dev', outer, 'master', bridge, 'up');
};

export const createHostNet = async (h: THostNet): Promise<void> => {
  await ip('netns', 'add', h.netns);
  // No IPv6 anywhere in the host (the agent's filters are IPv4 only), also on links made later.
  for (const k of ['all', 'default']) await must('ip', ['netns', 'exec', h.netns, 'sysctl', '-qw', `net.ipv6.conf.${k}.disable_ipv6=1`]);
  await ip('-n', h.netns, 'link', 'set', 'dev', 'lo', 'up');
  await addVeth(h, h.mgmtVeth, 'eth0', MGMT_BRIDGE);
  await ip('-n', h.netns, 'addr', 'add', `${h.mgmtIp}/24`, 'dev', 'eth0');
  await ip('-n', h.netns, 'link', 'set', 'dev', 'eth0', 'up');
  await addBridge(BRIDGE, `${h.switchIp}/24`, h.netns);
  await addVeth(h, h.uplinkVeth, 'up0', SWITCH_BRIDGE);
  await ip('-n', h.netns, 'link', 'set', 'dev', 'up0', 'master', BRIDGE, 'up');
};

/** Rig namespaces that exist now (ours or a killed run's). */
export const listRigNetns = async (): Promise<string[]> =>
  (await exec('ip', ['netns', 'list'])).stdout.split('\n').map((l) => l.split(' ')[0]!).filter((n) => n.startsWith(NETNS_PREFIX));

/** Namespaces first (their veths go with them), then the bridges and the filter; gone already is fine. */
export const removeNet = async (netns: string[]): Promise<void> => {
  for (const n of netns) await tryRun('ip', ['netns', 'delete', n]);
  for (const b of [MGMT_BRIDGE, SWITCH_BRIDGE]) await tryRun('ip', ['link', 'delete', b]);
  await tryRun('nft', ['delete', 'table', 'inet', NFT_TABLE]);
};

/** What of the rig's network still exists (for tests of the teardown). */
export const netLeftovers = async (): Promise<string[]> => {
  const links = (await exec('ip', ['-o', 'link', 'show'])).stdout;
  const found = (await listRigNetns()).map((n) => `netns ${n}`);
  for (const b of [MGMT_BRIDGE, SWITCH_BRIDGE]) if (links.includes(` ${b}:`)) found.push(`bridge ${b}`);
  if ((await exec('nft', ['list', 'table', 'inet', NFT_TABLE])).code === 0) found.push(`nft table inet ${NFT_TABLE}`);
  return found;
};
