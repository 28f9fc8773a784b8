import { createHmac, timingSafeEqual } from 'node:crypto';

// <userId>.<expires unix s>.<hmac>: stateless, HttpOnly cookie; the user row is re-read on every request.
const sign = (secret: string, body: string) => createHmac('sha256', secret).update(body).digest('base64url');

export const SESSION_TTL_S = 12 * 3600;

export const createSessionToken = (secret: string, userId: string, now = Date.now()): string => {
  const body = `${userId}.${Math.floor(now / 1000) + SESSION_TTL_S}`;
  return `${body}.${sign(secret, body)}`;
};

export const readSessionToken = (secret: string, token: string, now = Date.now()): string | null => {
  const [userId, exp, mac] = token.split('.');
  if (!userId || !exp || !mac) return null;
  const want = Buffer.from(sign(secret, `${userId}.${exp}`));
  const got = Buffer.from(mac);
  if (want.length !== got.length || !timingSafeEqual(want, got)) return null;
  return Number(exp) * 1000 > now ? userId : null;
};
