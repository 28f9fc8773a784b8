import { createWebhookPoster, deliverWebhooks } from '@berth/core';
import type { TDb } from '@berth/db';

type TOptions = { db: TDb; sessionSecret: string; pollMs: number; allowPrivate: boolean; log: (m: string) => void };

/**
 * Webhook sender: every pollMs, send what is due (indexed on status and next attempt, LIMIT per round,
 * so a round costs the same with 10 or 10 million deliveries on record); rounds follow each other while
 * there is a backlog.
 */
export const startWebhookSender = ({ db, sessionSecret, pollMs, allowPrivate, log }: TOptions) => {
  const post = createWebhookPoster({ allowPrivate });
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  const round = async () => {
    try {
      while (!stopped && (await deliverWebhooks({ db, post, sessionSecret })) > 0);
    } catch (e) {
      log(`webhook round failed: ${String(e)}`);
    }
    if (!stopped) timer = setTimeout(round, pollMs);
  };
  timer = setTimeout(round, pollMs);
  return { close: () => { stopped = true; clearTimeout(timer); } };
};
