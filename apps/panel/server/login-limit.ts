import { AppError } from '@berth/core';
import { panel } from './context.ts';
import { createRateLimiter } from './rate-limit.ts';

const g = globalThis as unknown as { __berthLoginLimiter?: ReturnType<typeof createRateLimiter> };

/** Password guessing: at most 20 sign-in attempts a minute per client IP and 10 per account (Redis). */
export const loginLimited = async (ip: string | null, email: string): Promise<void> => {
  const { env } = panel();
  g.__berthLoginLimiter ??= createRateLimiter({ url: env.REDIS_URL, prefix: env.BERTH_QUEUE_PREFIX });
  const byIp = await g.__berthLoginLimiter.hit(`login-ip:${ip ?? 'unknown'}`, 20);
  const byAccount = await g.__berthLoginLimiter.hit(`login-user:${email.trim().toLowerCase()}`, 10);
  const hit = [byIp, byAccount].find((l) => l?.exceeded);
  if (hit) throw new AppError('rate_limited', `Too many sign-in attempts; try again in ${hit.resetS} s.`);
};
