import type { TSubscribe } from '@berth/core';
import { listenSql } from './pg-listen.ts';

// One LISTEN per panel process, fanned out to the requests waiting on an operation.
const g = globalThis as unknown as { __berthOpWaiters?: Map<string, Set<() => void>>; __berthOpListen?: Promise<unknown> };

const waiters = (): Map<string, Set<() => void>> => {
  if (!g.__berthOpWaiters) {
    const map = new Map<string, Set<() => void>>();
    g.__berthOpWaiters = map;
    g.__berthOpListen = listenSql().listen('berth_operation', (id) => map.get(id)?.forEach((wake) => wake()));
  }
  return g.__berthOpWaiters;
};

/** Subscribe to status changes of one operation; resolves once the LISTEN is in place. */
export const subscribeOperation = async (): Promise<TSubscribe> => {
  const map = waiters();
  await g.__berthOpListen;
  return (operationId, wake) => {
    const set = map.get(operationId) ?? new Set();
    set.add(wake);
    map.set(operationId, set);
    return () => {
      set.delete(wake);
      if (set.size === 0) map.delete(operationId);
    };
  };
};
