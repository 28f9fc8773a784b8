import { createHash } from 'node:crypto';
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
  /** sha256 fingerprint of the host key the server presented (base64, as OpenSSH prints it). */
  hostKey: string;
  /** Run a program with an argument vector (each argument shell-quoted by node-ssh; nothing is interpolated). */
  run(cmd: string, args?: string[], opts?: { stdin?: string | Readable; okCodes?: number[] }): Promise<{ stdout: string; code: number }>;
  close(): void;
};

/** `expectHostKey`: the fingerprint seen at the host's first install; another key is refused (not a password sent to it). */
export type TSshLogin = { host: string; port: number; username: string; password?: string; privateKey?: string; expectHostKey?: string | null };

/**
 * Log in to a host over SSH (password or key). Its host key is trusted on first use (the admin named the
 * address) and must be the same on every later install, before any credential is offered.
 */
export const connectRemote = async ({ expectHostKey, ...login }: TSshLogin): Promise<TRemote> => {
  const ssh = new NodeSSH();
  let hostKey = '';
  await ssh.connect({
    ...login, readyTimeout: 20_000, keepaliveInterval: 10_000,
    hostVerifier: (key: Buffer) => {
      hostKey = `SHA256:${createHash('sha256').update(key).digest('base64').replace(/=+$/, '')}`;
      return !expectHostKey || hostKey === expectHostKey;
    },
  }).catch((e: Error) => {
    if (expectHostKey && hostKey && hostKey !== expectHostKey) {
      throw new Error(`the host presented SSH key ${hostKey}, not ${expectHostKey} seen at its first install: refusing to log in (if it was reinstalled, clear its recorded key)`);
    }
    throw e;
  });
  return {
    hostKey,
    async run(cmd, args = [], { stdin, okCodes = [0] } = {}) {
      const r = await ssh.exec(cmd, args, { stream: 'both', stdin });
      const code = r.code ?? -1;
      if (!okCodes.includes(code)) throw new RemoteCommandError(cmd, args, r.code, r.stderr);
      return { stdout: r.stdout, code };
    },
    close: () => ssh.dispose(),
  };
};
