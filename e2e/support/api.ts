// The public API by path, as a reseller's script would call it: a thin layer over the typed client's raw
// call (tests that want types use createBerthClient(...).call directly).
import { createBerthClient } from '@berth/client';

export type TApi = ReturnType<typeof apiClient>;

export const apiClient = (baseUrl: string, key?: string) => {
  const client = createBerthClient({ baseUrl, apiKey: key });
  // body is `any`: tests poke at arbitrary response shapes.
  const call = async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<{ status: number; type: string; body: any }> => {
    const r = await client.raw(method, path, { body, headers });
    return { status: r.status, type: r.headers.get('content-type') ?? '', body: r.body };
  };
  return {
    get: (path: string) => call('GET', path),
    post: (path: string, body?: unknown, headers?: Record<string, string>) => call('POST', path, body, headers),
    del: (path: string) => call('DELETE', path),
    request: (method: string, path: string, body?: unknown) => call(method, path, body),
  };
};

/** Poll until `done` holds for the fetched value, or fail with the last value seen. */
export const pollUntil = async <T>(what: string, fetchIt: () => Promise<T>, done: (v: T) => boolean, timeoutMs = 180_000): Promise<T> => {
  const until = Date.now() + timeoutMs;
  let last: T | undefined;
  while (Date.now() < until) {
    last = await fetchIt();
    if (done(last)) return last;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`timed out waiting for ${what}; last seen: ${JSON.stringify(last)}`);
};
