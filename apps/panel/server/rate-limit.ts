import { Redis } from 'ioredis';

export type TRateLimit = { limit: number; remaining: number; resetS: number; exceeded: boolean };

// Fixed one-minute window per bucket: INCR, and start the window's expiry on the first hit.
const HIT = `local n = redis.call('INCR', KEYS[1])
if n == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
return {n, redis.call('PTTL', KEYS[1])}`;

export const WINDOW_S = 60;

type TOptions = { url: string; prefix: string; log?: (m: string) => void };

/**
 * Rate limits kept in Redis so every panel process counts together. If Redis cannot answer within a
 * quarter second the request goes through unlimited (logged): an outage of the limiter must not take the
 * API down with it.
 */
export const createRateLimiter = ({ url, prefix, log = console.warn }: TOptions) => {
  const redis = new Redis(url, { enableOfflineQueue: false, maxRetriesPerRequest: 0, commandTimeout: 250, connectTimeout: 1000 });
  let warned = 0;
  redis.on('error', (e: Error) => {
    if (Date.now() - warned > 60_000) log(`[panel] rate limiter: redis unavailable (${e.message}); requests pass unlimited`);
    warned = Date.now();
  });
  // Without an offline queue a command sent while the connection is still being made fails at once, so
  // the first requests of a fresh process would go uncounted: wait (briefly) for the connection instead.
  const ready = new Promise<void>((resolve) => redis.once('ready', () => resolve()));
  return {
    async hit(bucket: string, limit: number): Promise<TRateLimit | null> {
      try {
        if (redis.status !== 'ready') await Promise.race([ready, new Promise((r) => setTimeout(r, 250))]);
        const [n, ttl] = (await redis.eval(HIT, 1, `${prefix}:ratelimit:${bucket}`, WINDOW_S * 1000)) as [number, number];
        return { limit, remaining: Math.max(0, limit - n), resetS: Math.max(1, Math.ceil(ttl / 1000)), exceeded: n > limit };
      } catch {
        return null;
      }
    },
    close: () => redis.quit(),
  };
};

/** The tighter of two limits (the one with fewer requests left), for the RateLimit-* headers. */
export const tighter = (a: TRateLimit | null, b: TRateLimit | null): TRateLimit | null =>
  !a ? b : !b ? a : a.exceeded !== b.exceeded ? (a.exceeded ? a : b) : a.remaining <= b.remaining ? a : b;

/** IETF draft RateLimit headers (and Retry-After once exceeded). */
export const rateLimitHeaders = (l: TRateLimit): Record<string, string> => ({
  'ratelimit-limit': String(l.limit),
  'ratelimit-remaining': String(l.remaining),
  'ratelimit-reset': String(l.resetS),
  'ratelimit-policy': `${l.limit};w=${WINDOW_S}`,
  ...(l.exceeded ? { 'retry-after': String(l.resetS) } : {}),
});
