import { AppError } from '@berth/core';
import { panel } from './context.ts';
import { createRateLimiter } from './rate-limit.ts';

const g = globalThis as unknown as { __berthLoginLimiter?: ReturnType<typeof createRateLimiter> };

/** Password guessing: at most LOGIN_LIMIT_PER_IP sign-in attempts a minute per client IP and LOGIN_LIMIT_PER_ACCOUNT per account (Redis). */
export const loginLimited = async (ip: string | null, email: string): Promise<void> => {
  const { env } = panel();
  g.__berthLoginLimiter ??= createRateLimiter({ url: env.REDIS_URL, prefix: env.BERTH_QUEUE_PREFIX });
  const byIp = await g.__berthLoginLimiter.hit(`login-ip:${ip ?? 'unknown'}`, env.LOGIN_LIMIT_PER_IP);
  const byAccount = await g.__berthLoginLimiter.hit(`login-user:${email.trim().toLowerCase()}`, env.LOGIN_LIMIT_PER_ACCOUNT);
  const hit = [byIp, byAccount].find((l) => l?.exceeded);
  if (hit) throw new AppError('rate_limited', `Too many sign-in attempts; try again in ${hit.resetS} s.`);
};
