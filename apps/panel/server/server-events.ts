import { listenSql } from './pg-listen.ts';

/** Keys a live view listens on: `s:<serverId>` for one server, `t:<tenantId>` for a tenant's list. */
type TKey = `s:${string}` | `t:${string}`;
type TWake = (serverId: string) => void;

const g = globalThis as unknown as { __berthServerWatchers?: Map<TKey, Set<TWake>>; __berthServerListen?: Promise<unknown> };

// Payload from the berth_notify_server trigger: "<serverId> <tenantId> <parentTenantId|->".
const route = (map: Map<TKey, Set<TWake>>, payload: string) => {
  const [serverId, tenantId, parentId] = payload.split(' ');
  if (!serverId || !tenantId) return;
  const woken = new Set<TWake>();
  for (const key of [`s:${serverId}`, `t:${tenantId}`, parentId && parentId !== '-' ? `t:${parentId}` : null] as (TKey | null)[]) {
    if (key) map.get(key)?.forEach((w) => woken.add(w));
  }
  woken.forEach((wake) => wake(serverId));
};

const watchers = (): Map<TKey, Set<TWake>> => {
  if (!g.__berthServerWatchers) {
    const map = new Map<TKey, Set<TWake>>();
    g.__berthServerWatchers = map;
    g.__berthServerListen = listenSql().listen('berth_server', (payload) => route(map, payload));
  }
  return g.__berthServerWatchers;
};

/**
 * Call wake(serverId) whenever one of these servers, or any server of these tenants (a reseller's
 * tenant also covers its customers'), or an operation on one, changes. Resolves once LISTEN is in
 * place, so nothing committed after it returns is missed; returns the unsubscribe.
 */
export const watchServers = async ({ serverIds, tenantIds, wake }: { serverIds: string[]; tenantIds: string[]; wake: TWake }) => {
  const map = watchers();
  await g.__berthServerListen;
  const keys: TKey[] = [...serverIds.map((id) => `s:${id}` as const), ...tenantIds.map((id) => `t:${id}` as const)];
  for (const key of keys) {
    const set = map.get(key) ?? new Set();
    set.add(wake);
    map.set(key, set);
  }
  return () => {
    for (const key of keys) {
      const set = map.get(key);
      set?.delete(wake);
      if (set?.size === 0) map.delete(key);
    }
  };
};
