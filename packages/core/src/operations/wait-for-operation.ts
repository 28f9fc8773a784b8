import type { TOperation } from '@berth/contracts';
import type { TDb } from '@berth/db';
import type { TPrincipal } from '../auth/principal.ts';
import { getOperation } from './get-operation.ts';

/** Calls `wake` when the operation's status changes (Postgres NOTIFY); returns the unsubscribe. */
export type TSubscribe = (operationId: string, wake: () => void) => () => void;

type TOptions = { db: TDb; principal: TPrincipal; operationId: string; timeoutMs: number; subscribe: TSubscribe };

const settled = (op: TOperation) => op.status === 'succeeded' || op.status === 'failed';

/**
 * Long poll: the operation as soon as it has finished, or as it is after timeoutMs. Subscribes before
 * reading, so a change between the read and the wait cannot be missed.
 */
export const waitForOperation = async ({ db, principal, operationId, timeoutMs, subscribe }: TOptions): Promise<TOperation> => {
  let wake = () => {};
  const unsubscribe = subscribe(operationId, () => wake());
  try {
    const until = Date.now() + timeoutMs;
    for (;;) {
      const changed = new Promise<void>((resolve) => (wake = resolve));
      const op = await getOperation({ db, principal, operationId });
      const left = until - Date.now();
      if (settled(op) || left <= 0) return op;
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([changed, new Promise<void>((resolve) => (timer = setTimeout(resolve, left)))]);
      clearTimeout(timer);
    }
  } finally {
    unsubscribe();
  }
};
