import { connect } from 'node:net';
import { lxcAttach, lxcInfoState, type TLxc } from './lxc-cli.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const tcpOpen = (host: string, port: number, timeoutMs: number) =>
  new Promise<boolean>((resolve) => {
    const s = connect({ host, port, timeout: timeoutMs });
    const done = (ok: boolean) => {
      s.destroy();
      resolve(ok);
    };
    s.once('connect', () => done(true));
    s.once('timeout', () => done(false));
    s.once('error', () => done(false));
  });

/**
 * A VPS is ready when its systemd finished booting (running, or degraded: a failed unit of the user's is
 * not ours to judge) AND sshd answers on its IPv4 from the host: what the customer will try first.
 * `is-system-running --wait` returns the moment boot ends instead of polling. The TCP probe only starts
 * then: a SYN sent before the VPS's interface is up leaves the host's ARP entry incomplete, and the next
 * ARP retry is a full second later.
 * Bounded: throws after timeoutMs, or at once if the container stopped meanwhile.
 */
export const waitReady = async (c: TLxc, ipv4: string, timeoutMs = 90_000): Promise<void> => {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    // Before systemd is up inside, systemctl answers at once (offline / no bus): then poll briefly.
    const { stdout } = await lxcAttach(c, ['systemctl', 'is-system-running', '--wait'], Math.max(1_000, deadline - Date.now()));
    const state = stdout.trim();
    if (state === 'running' || state === 'degraded') break;
    if ((await lxcInfoState(c)) === 'STOPPED') throw new Error(`${c.name} stopped while booting`);
    if (Date.now() > deadline) throw new Error(`${c.name} not booted after ${timeoutMs} ms (systemd: ${state || '?'})`);
    await sleep(50);
  }
  while (!(await tcpOpen(ipv4, 22, 250))) {
    if (Date.now() > deadline) throw new Error(`${c.name}: ${ipv4}:22 not reachable after ${timeoutMs} ms`);
    await sleep(50);
  }
};
