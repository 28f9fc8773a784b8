import type { Readable } from 'node:stream';
import { NodeSSH } from 'node-ssh';

/** A command on the host failed: what ran, its exit code and its stderr, as the agent's `run` reports. */
export class RemoteCommandError extends Error {
  constructor(readonly cmd: string, readonly args: readonly string[], readonly exitCode: number | null, readonly stderr: string) {
    super(`${cmd} ${args.join(' ')}: exit ${exitCode}${stderr.trim() ? `: ${stderr.trim().slice(-1500)}` : ''}`);
    this.name = 'RemoteCommandError';
  }
}

export type TRemote = {
  /** Run a program with an argument vector (each argument shell-quoted by node-ssh; nothing is interpolated). */
  run(cmd: string, args?: string[], opts?: { stdin?: string | Readable; okCodes?: number[] }): Promise<{ stdout: string; code: number }>;
  close(): void;
};

export type TSshLogin = { host: string; port: number; username: string; password?: string; privateKey?: string };

/** Log in to a host over SSH (password or key; host key accepted on first use: the admin named the address). */
export const connectRemote = async (login: TSshLogin): Promise<TRemote> => {
  const ssh = new NodeSSH();
  await ssh.connect({ ...login, readyTimeout: 20_000, keepaliveInterval: 10_000 });
  return {
    async run(cmd, args = [], { stdin, okCodes = [0] } = {}) {
      const r = await ssh.exec(cmd, args, { stream: 'both', stdin });
      const code = r.code ?? -1;
      if (!okCodes.includes(code)) throw new RemoteCommandError(cmd, args, r.code, r.stderr);
      return { stdout: r.stdout, code };
    },
    close: () => ssh.dispose(),
  };
};
