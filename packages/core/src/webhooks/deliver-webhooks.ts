import type { TDb } from '@berth/db';
import { unseal } from '../auth/secret-box.ts';
import type { TPost } from './post-webhook.ts';
import { signWebhook } from './sign-webhook.ts';

type TOptions = { db: TDb; post: TPost; sessionSecret: string; batch?: number; maxAttempts?: number; now?: () => number };

type TClaimed = { id: string; endpoint_id: string; event_id: string; event_type: string; payload: unknown; attempts: number; url: string; secret: string };

/** Wait before attempt n+1: 10 s, 20 s, 40 s ... capped at 1 h, with +-20% jitter so retries do not stampede. */
export const backoffMs = (attempts: number, rand = Math.random()): number =>
  Math.min(3_600_000, 10_000 * 2 ** Math.max(0, attempts - 1)) * (0.8 + 0.4 * rand);

/**
 * Send due deliveries once. Rows are claimed with SKIP LOCKED and a one-minute lease (next_attempt_at
 * moves ahead), so several workers never send the same delivery at once and a crashed worker's claim
 * comes back by itself. Returns how many were attempted.
 */
export const deliverWebhooks = async ({ db, post, sessionSecret, batch = 20, maxAttempts = 8, now = Date.now }: TOptions): Promise<number> => {
  const claimed = await db.$queryRaw<TClaimed[]>`
    UPDATE webhook_deliveries d SET next_attempt_at = now() + interval '60 seconds'
    FROM webhook_endpoints e
    WHERE d.endpoint_id = e.id AND e.active AND d.id IN (
      SELECT id FROM webhook_deliveries WHERE status = 'pending' AND next_attempt_at <= now()
      ORDER BY next_attempt_at LIMIT ${batch} FOR UPDATE SKIP LOCKED)
    RETURNING d.id, d.endpoint_id, d.event_id, d.event_type, d.payload, d.attempts, e.url, e.secret`;
  await Promise.all(claimed.map(async (d) => {
    const body = JSON.stringify(d.payload);
    const ts = Math.floor(now() / 1000);
    const r = await post(d.url, body, {
      'content-type': 'application/json',
      'user-agent': 'Berth-Webhooks/1',
      'berth-event': d.event_type,
      'berth-event-id': d.event_id,
      'berth-delivery': d.id,
      'berth-signature': signWebhook(unseal(sessionSecret, 'webhook', d.secret), ts, body),
    });
    const attempts = d.attempts + 1;
    const ok = r.status !== null && r.status >= 200 && r.status < 300;
    // updateMany: the endpoint (and its deliveries) may have been deleted while the POST was in flight.
    await db.webhookDelivery.updateMany({
      where: { id: d.id },
      data: ok
        ? { status: 'succeeded', attempts, lastStatusCode: r.status, lastError: null, deliveredAt: new Date(now()) }
        : {
          status: attempts >= maxAttempts ? 'failed' : 'pending', attempts, lastStatusCode: r.status,
          lastError: r.error ?? `HTTP ${r.status}`, nextAttemptAt: new Date(now() + backoffMs(attempts)),
        },
    });
  }));
  return claimed.length;
};
