import { ipAllowed } from '@berth/core';

/**
 * The caller's address: the socket's peer, unless that peer is a trusted reverse proxy, in which case the
 * rightmost X-Forwarded-For entry not added by a trusted proxy. Entries further left are whatever the
 * client wrote and are never believed.
 */
export const clientIp = (peer: string | null, forwardedFor: string | string[] | undefined, trusted: readonly string[]): string | null => {
  const norm = (a: string) => (a.startsWith('::ffff:') && a.includes('.') ? a.slice(7) : a);
  if (!peer) return null;
  let ip = norm(peer);
  if (!trusted.length) return ip;
  const hops = (Array.isArray(forwardedFor) ? forwardedFor.join(',') : forwardedFor ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  while (ipAllowed(ip, trusted) && hops.length) ip = norm(hops.pop()!);
  return ip;
};

const g = globalThis as unknown as { __berthServedBySocket?: boolean };

/** serve.ts marks the process: only then was x-berth-client-ip written by us, never by the client. */
export const markServedBySocket = (): void => {
  g.__berthServedBySocket = true;
};

/** The caller's address for allowlists, limits and audit; null when not served by serve.ts (e.g. `next dev`). */
export const requestIp = (headers: Headers): string | null =>
  g.__berthServedBySocket ? headers.get('x-berth-client-ip') || null : null;
