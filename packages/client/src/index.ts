import type { z } from 'zod';
import { ROUTES, type TProblem, type TRouteDef, type TRouteName } from '@berth/contracts';

type TInput<S> = S extends z.ZodType ? z.input<S> : never;
type TRoute<N extends TRouteName> = (typeof ROUTES)[N];

/** What a call takes: path params, query and body exactly where the route has them. */
export type TCallInput<N extends TRouteName> =
  & (TRoute<N> extends { params: z.ZodType } ? { params: TInput<TRoute<N>['params']> } : { params?: never })
  & (TRoute<N> extends { query: z.ZodType } ? { query?: Partial<TInput<TRoute<N>['query']>> } : { query?: never })
  & (TRoute<N> extends { body: z.ZodType } ? { body: TInput<TRoute<N>['body']> } : { body?: never })
  & { headers?: Record<string, string>; idempotencyKey?: string };

export type TCallResult<N extends TRouteName> =
  | { ok: true; status: number; headers: Headers; body: z.output<TRoute<N>['response']> }
  | { ok: false; status: number; headers: Headers; body: TProblem };

export type TClientOptions = { baseUrl: string; apiKey?: string; fetch?: typeof fetch; headers?: Record<string, string> };

/** Fill `{id}`-style segments of a catalog path. */
export const buildPath = (path: string, params: Record<string, unknown> = {}): string =>
  path.replace(/\{(\w+)\}/g, (_, k: string) => encodeURIComponent(String(params[k] ?? '')));

const isClosedSocket = (e: unknown): boolean => {
  const code = (e as { cause?: { code?: string } })?.cause?.code;
  return e instanceof TypeError && (code === 'UND_ERR_SOCKET' || code === 'ECONNRESET');
};
/** Reads, and POSTs the API deduplicates by their Idempotency-Key (it honours the key on POST only). */
const canRepeat = (method: string, headers: Record<string, string>): boolean => {
  const m = method.toUpperCase();
  return m === 'GET' || m === 'HEAD' || (m === 'POST' && Object.keys(headers).some((k) => k.toLowerCase() === 'idempotency-key'));
};

/**
 * The typed client of /api/v1, generated from the same route catalog as the server and its OpenAPI
 * document: `client.call('createServer', { body })` knows the body and the 202 response's type.
 */
export const createBerthClient = ({ baseUrl, apiKey, fetch: f = fetch, headers: base = {} }: TClientOptions) => {
  const raw = async (method: string, path: string, o: { query?: object; body?: unknown; headers?: Record<string, string> } = {}) => {
    const qs = new URLSearchParams(Object.entries(o.query ?? {}).filter(([, v]) => v !== undefined).map(([k, v]) => [k, String(v)]));
    const url = `${baseUrl.replace(/\/$/, '')}/api/v1${path}${qs.size ? `?${qs}` : ''}`;
    const headers: Record<string, string> = {
      ...base,
      ...(apiKey ? { authorization: `Bearer ${apiKey}` } : {}),
      ...(o.body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...o.headers,
    };
    const send = () => f(url, { method, headers, body: o.body === undefined ? undefined : typeof o.body === 'string' ? o.body : JSON.stringify(o.body) });
    let res: Response;
    try {
      res = await send();
    } catch (e) {
      // A kept-alive socket the server closed as it was reused (a busy or paused caller misses the idle
      // timeout by a moment): a request that is safe to send twice gets one more try on a new connection.
      if (!isClosedSocket(e) || !canRepeat(method, headers)) throw e;
      res = await send();
    }
    const text = await res.text();
    let body: unknown = null;
    try {
      body = text ? JSON.parse(text) : null;
    } catch {
      body = text;
    }
    return { ok: res.ok, status: res.status, headers: res.headers, body };
  };
  return {
    raw,
    async call<N extends TRouteName>(name: N, input: TCallInput<N> = {} as TCallInput<N>): Promise<TCallResult<N>> {
      const r = ROUTES[name] as TRouteDef;
      const i = input as { params?: Record<string, unknown>; query?: object; body?: unknown; headers?: Record<string, string>; idempotencyKey?: string };
      const headers = { ...i.headers, ...(i.idempotencyKey ? { 'idempotency-key': i.idempotencyKey } : {}) };
      return (await raw(r.method, buildPath(r.path, i.params), { query: i.query, body: i.body, headers })) as TCallResult<N>;
    },
  };
};

export type TBerthClient = ReturnType<typeof createBerthClient>;
export { ROUTES };
