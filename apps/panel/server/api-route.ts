import { createHash, randomUUID } from 'node:crypto';
import type { NextRequest } from 'next/server';
import type { z } from 'zod';
import type { TRouteDef } from '@berth/contracts';
import { AppError, requireScope, runIdempotent, toProblem, type TPrincipal, type TRequestMeta } from '@berth/core';
import type { TPanelEnv } from '@berth/config';
import type { TDb } from '@berth/db';
import { panel } from './context.ts';
import { requestIp } from './client-ip.ts';
import { readJson } from './http.ts';
import { authenticate } from './with-auth.ts';
import { createRateLimiter, rateLimitHeaders, tighter, type TRateLimit } from './rate-limit.ts';

type TInfer<S> = S extends z.ZodType ? z.infer<S> : undefined;
export type TRouteCtx<R extends TRouteDef> = {
  req: NextRequest;
  db: TDb;
  env: TPanelEnv;
  principal: TPrincipal;
  params: TInfer<R['params']>;
  query: TInfer<R['query']>;
  body: TInfer<R['body']>;
};
type TNextCtx = { params?: Promise<Record<string, string | string[]>> };

const g = globalThis as unknown as { __berthLimiter?: ReturnType<typeof createRateLimiter> };
const limiter = () => {
  const { env } = panel();
  g.__berthLimiter ??= createRateLimiter({ url: env.REDIS_URL, prefix: env.BERTH_QUEUE_PREFIX });
  return g.__berthLimiter;
};

/** Sorted-key JSON, so `{a,b}` and `{b,a}` are the same request for Idempotency-Key purposes. */
const canonical = (v: unknown): string =>
  Array.isArray(v) ? `[${v.map(canonical).join(',')}]`
    : v && typeof v === 'object' ? `{${Object.keys(v).sort().map((k) => `${JSON.stringify(k)}:${canonical((v as Record<string, unknown>)[k])}`).join(',')}}`
      : JSON.stringify(v) ?? 'null';

const REQUEST_ID = /^[A-Za-z0-9._-]{1,64}$/;

/** Postgres text cannot hold NUL: such input is refused up front (400), never turned into a 500. */
const MAX_DEPTH = 32;

/** True if any string or key holds NUL; a value nested deeper than any request needs is refused (no recursion to overflow). */
const hasNul = (root: unknown): boolean => {
  const stack: [unknown, number][] = [[root, 0]];
  while (stack.length) {
    const [v, depth] = stack.pop()!;
    if (typeof v === 'string') {
      if (v.includes('\u0000')) return true;
    } else if (v !== null && typeof v === 'object') {
      if (depth >= MAX_DEPTH) throw new AppError('bad_request', `The body is nested more than ${MAX_DEPTH} levels deep.`);
      for (const [k, x] of Object.entries(v)) {
        if (k.includes('\u0000')) return true;
        stack.push([x, depth + 1]);
      }
    }
  }
  return false;
};

/**
 * Build a Next route handler from a catalog entry: request id, per-IP and per-key rate limits, auth, role
 * and scope, zod parsing of path/query/body, Idempotency-Key for POST, and problem+json for every error.
 * The handler itself only calls one core verb.
 */
export const apiRoute = <R extends TRouteDef>(def: R, handler: (ctx: TRouteCtx<R>) => Promise<unknown>) =>
  async (req: NextRequest, nextCtx: TNextCtx): Promise<Response> => {
    const incoming = req.headers.get('x-request-id');
    const requestId = incoming && REQUEST_ID.test(incoming) ? incoming : randomUUID();
    const meta: TRequestMeta = { ip: requestIp(req.headers), requestId };
    const headers: Record<string, string> = { 'x-request-id': requestId };
    let limit: TRateLimit | null = null;
    const rateLimited = (l: TRateLimit) =>
      new AppError('rate_limited', `Too many requests: ${l.limit} per minute; retry in ${l.resetS} s.`);
    try {
      const { db, env } = panel();
      limit = await limiter().hit(`ip:${meta.ip ?? 'unknown'}`, env.RATE_LIMIT_PER_IP);
      if (limit?.exceeded) throw rateLimited(limit);
      const principal: TPrincipal = { ...(await authenticate(req, db, meta)), request: meta };
      const owner = principal.apiKeyId ? `key:${principal.apiKeyId}` : `user:${principal.userId}`;
      limit = tighter(limit, await limiter().hit(owner, env.RATE_LIMIT_PER_KEY));
      if (limit?.exceeded) throw rateLimited(limit);

      if (def.roles && !def.roles.includes(principal.role)) throw new AppError('forbidden', `This endpoint is for ${def.roles.join(' or ')} accounts.`);
      requireScope(principal, def.scope);
      const rawParams = (await nextCtx?.params) ?? {};
      const rawQuery = Object.fromEntries(req.nextUrl.searchParams);
      const params = def.params?.safeParse(rawParams);
      if (params && !params.success) throw new AppError('not_found', 'No such resource.'); // a malformed id names nothing
      if (hasNul(rawParams) || hasNul(rawQuery)) throw new AppError('bad_request', 'NUL characters are not accepted.');
      const query = def.query?.parse(rawQuery);
      const raw = def.body ? await readJson(req) : undefined;
      if (hasNul(raw)) throw new AppError('bad_request', 'NUL characters are not accepted.');
      const body = def.body?.parse(raw);

      const exec = async () => ({
        status: def.status as number,
        body: await handler({ req, db, env, principal, params: params?.data, query, body } as TRouteCtx<R>),
      });
      const key = def.method === 'POST' ? req.headers.get('idempotency-key') : null;
      if (key !== null && (key.length < 1 || key.length > 255)) throw new AppError('bad_request', 'Idempotency-Key must be 1-255 characters.');
      const result = key === null ? await exec() : await runIdempotent({
        db, owner, key,
        requestHash: createHash('sha256').update(`${def.method} ${req.nextUrl.pathname}\n${canonical(raw)}`).digest('hex'),
        run: exec,
      });
      if ('replayed' in result && result.replayed) headers['idempotent-replayed'] = 'true';
      if (def.binary) {
        const file = result.body as { bytes: Uint8Array; filename: string };
        return new Response(Buffer.from(file.bytes), {
          status: result.status,
          headers: { ...headers, ...(limit ? rateLimitHeaders(limit) : {}), 'content-type': def.binary, 'content-disposition': `inline; filename="${file.filename}"` },
        });
      }
      return new Response(result.status === 204 ? null : JSON.stringify(result.body), {
        status: result.status,
        headers: { ...headers, ...(limit ? rateLimitHeaders(limit) : {}), 'content-type': 'application/json' },
      });
    } catch (err) {
      const p = toProblem(err);
      return new Response(JSON.stringify({ ...p, requestId }), {
        status: p.status,
        headers: { ...headers, ...(limit ? rateLimitHeaders(limit) : {}), 'content-type': 'application/problem+json' },
      });
    }
  };
