import { Agent, request } from 'node:https';
import type { z } from 'zod';
import type { TMigrationTarget } from '@berth/contracts';
import { HASH_HEADER, ZBeginResponse, ZCommitResponse, ZERO_HEADER, ZStatusResponse } from './protocol.ts';

/** The target answered with an error status (its message is in the text). */
export class TransferError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
    this.name = 'TransferError';
  }
}

/**
 * Talks to the target agent's transfer endpoint over TLS that trusts exactly the certificate the panel
 * relayed from the target's heartbeat (no CA, no hostname: the pin is the identity), with the panel's token.
 */
export const transferClient = (t: TMigrationTarget, serverId: string, maxSockets = 4) => {
  // Explicitly on: NODE_TLS_REJECT_UNAUTHORIZED=0 in the environment must not switch the pin off.
  const agent = new Agent({ keepAlive: true, maxSockets, ca: t.certPem, rejectUnauthorized: true, checkServerIdentity: () => undefined });
  const base = new URL(`/v1/migrations/${serverId}`, t.url);

  const call = (method: string, suffix: string, body?: Buffer, headers: Record<string, string> = {}, timeoutMs = 120_000) =>
    new Promise<{ status: number; text: string }>((resolve, reject) => {
      const req = request(new URL(base.pathname + suffix, base), {
        method, agent, timeout: timeoutMs,
        headers: { authorization: `Bearer ${t.token}`, 'content-length': String(body?.length ?? 0), ...headers },
      }, (res) => {
        const parts: Buffer[] = [];
        res.on('data', (d: Buffer) => parts.push(d));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(parts).toString('utf8') }));
        res.on('error', reject);
      });
      req.on('timeout', () => req.destroy(new Error(`${method} ${suffix || '/'}: no answer from ${t.url} in ${timeoutMs} ms`)));
      req.on('error', reject);
      req.end(body);
    });

  const ok = async (p: Promise<{ status: number; text: string }>) => {
    const r = await p;
    if (r.status >= 300) throw new TransferError(r.status, `target ${t.hostId} answered ${r.status}: ${r.text.slice(0, 500)}`);
    return r.text;
  };
  const json = async <T>(schema: z.ZodType<T>, p: Promise<{ status: number; text: string }>): Promise<T> => schema.parse(JSON.parse(await ok(p)));
  const jsonBody = (v: unknown) => Buffer.from(JSON.stringify(v));
  const JSON_HEADERS = { 'content-type': 'application/json' };

  return {
    begin: (b: { spec: TMigrationTarget['spec']; size: number; chunkBytes: number }) =>
      json(ZBeginResponse, call('POST', '/begin', jsonBody(b), JSON_HEADERS, 10 * 60_000)),
    putChunk: (index: number, data: Buffer, sha256: string) =>
      ok(call('PUT', `/chunks/${index}`, data, { [HASH_HEADER]: sha256, 'content-type': 'application/octet-stream' })),
    zeroChunk: (index: number) => ok(call('PUT', `/chunks/${index}`, undefined, { [ZERO_HEADER]: '1' })),
    // Starting the VPS there waits until it is ready (booted, SSH answering).
    commit: (b: unknown) => json(ZCommitResponse, call('POST', '/commit', jsonBody(b), JSON_HEADERS, 10 * 60_000)),
    abort: () => ok(call('DELETE', '')),
    status: () => json(ZStatusResponse, call('GET', '')),
    close: () => agent.destroy(),
  };
};
export type TTransferClient = ReturnType<typeof transferClient>;
