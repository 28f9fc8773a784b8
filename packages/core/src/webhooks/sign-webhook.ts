import { createHmac, timingSafeEqual } from 'node:crypto';

/** `Berth-Signature: t=<unix s>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>` (the Stripe scheme receivers know). */
export const signWebhook = (secret: string, timestamp: number, body: string): string =>
  `t=${timestamp},v1=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;

/** What a receiver runs: the signature matches and is at most `toleranceS` old. */
export const verifyWebhookSignature = (secret: string, header: string, body: string, toleranceS = 300, now = Date.now()): boolean => {
  const t = Number(/(?:^|,)t=(\d+)/.exec(header)?.[1]);
  const v1 = /(?:^|,)v1=([0-9a-f]{64})/.exec(header)?.[1];
  if (!t || !v1 || Math.abs(now / 1000 - t) > toleranceS) return false;
  const want = Buffer.from(signWebhook(secret, t, body).split('v1=')[1]!, 'hex');
  return timingSafeEqual(want, Buffer.from(v1, 'hex'));
};
