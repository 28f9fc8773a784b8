import { spawn } from 'node:child_process';

/** Resolve once `ssh root@ip true` succeeds with the key (retrying), i.e. the VPS is really SSH-ready. */
export const waitSsh = async (ip: string, keyFile: string, timeoutMs = 120_000): Promise<void> => {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    const ok = await new Promise<boolean>((resolve) => {
      const p = spawn('ssh', ['-i', keyFile, '-o', 'StrictHostKeyChecking=no', '-o', 'UserKnownHostsFile=/dev/null', '-o', 'BatchMode=yes',
        '-o', 'ConnectTimeout=2', '-o', 'LogLevel=ERROR', `root@${ip}`, 'true'], { stdio: 'ignore' });
      p.on('exit', (code) => resolve(code === 0));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`ssh to ${ip} not ready in ${timeoutMs} ms`);
};

export const quantile = (xs: number[], q: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  const i = Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1));
  return s[i]!;
};
