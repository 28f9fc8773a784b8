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
 * Bounded: throws after timeoutMs, or at once if the container stopped meanwhile.
 */
export const waitReady = async (c: TLxc, ipv4: string, timeoutMs = 90_000): Promise<void> => {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  while (true) {
    const { stdout } = await lxcAttach(c, ['systemctl', 'is-system-running'], 5_000);
    last = stdout.trim();
    if (last === 'running' || last === 'degraded') break;
    if ((await lxcInfoState(c)) === 'STOPPED') throw new Error(`${c.name} stopped while booting`);
    if (Date.now() > deadline) throw new Error(`${c.name} not booted after ${timeoutMs} ms (systemd: ${last || '?'})`);
    await sleep(100);
  }
  while (!(await tcpOpen(ipv4, 22, 1_000))) {
    if (Date.now() > deadline) throw new Error(`${c.name}: ${ipv4}:22 not reachable after ${timeoutMs} ms`);
    await sleep(100);
  }
};
