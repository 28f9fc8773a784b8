import { writeFile } from 'node:fs/promises';
import { run, succeeds } from '../exec/run.ts';
import { BRIDGE, BRIDGE_HOST_CIDR } from './names.ts';

/**
 * Bring up Berth's bridge with the host address. It has no physical port and the host does not forward,
 * so VPS traffic can reach only other bridge members (dropped by the firewall) and the host (filtered).
 * Idempotent.
 */
export const ensureBridge = async (): Promise<void> => {
  if (!(await succeeds('ip', ['link', 'show', 'dev', BRIDGE]))) {
    const add = ['link', 'add', 'name', BRIDGE, 'type', 'bridge', 'stp_state', '0', 'forward_delay', '0'];
    // Two agents booting at once (tests) may race: losing the race to create it is fine.
    if (!(await succeeds('ip', add)) && !(await succeeds('ip', ['link', 'show', 'dev', BRIDGE]))) await run('ip', add);
  }
  // IPv6 is not filtered by our sets, so it must not exist on the bridge at all.
  await writeFile(`/proc/sys/net/ipv6/conf/${BRIDGE}/disable_ipv6`, '1');
  const { stdout } = await run('ip', ['-4', '-o', 'addr', 'show', 'dev', BRIDGE]);
  if (!stdout.includes(` ${BRIDGE_HOST_CIDR} `)) await run('ip', ['addr', 'add', BRIDGE_HOST_CIDR, 'dev', BRIDGE]);
  await run('ip', ['link', 'set', 'dev', BRIDGE, 'up']);
};

/**
 * Point the bridge's forwarding entry for a VPS's MAC at its port now. A VPS that ran on another host until
 * a moment ago was learned behind the uplink, and frames for it (our own readiness probe first) would go
 * there until the VPS happens to send something; the entry stays dynamic, so it ages like any other.
 */
export const pointMacAt = async (ifname: string, mac: string): Promise<void> => {
  await run('bridge', ['fdb', 'replace', mac, 'dev', ifname, 'master', 'dynamic']);
};
