/**
 * One job at a time per server (wings' power lock): a stop racing a start, or a destroy racing a create,
 * would leave the VPS in a state neither job intended. Jobs for different servers run in parallel.
 */
export const createServerLock = () => {
  const tails = new Map<string, Promise<unknown>>();
  return {
    run<T>(serverId: string, fn: () => Promise<T>): Promise<T> {
      const prev = tails.get(serverId) ?? Promise.resolve();
      const next = prev.then(fn, fn); // the previous job's outcome does not matter, only its end
      const tail = next.catch(() => {});
      tails.set(serverId, tail);
      // Forget the server once nothing is queued behind us, so the map does not grow forever.
      void tail.then(() => {
        if (tails.get(serverId) === tail) tails.delete(serverId);
      });
      return next;
    },
    /** Servers with a job running or waiting (for tests and diagnostics). */
    busy: () => [...tails.keys()],
  };
};
export type TServerLock = ReturnType<typeof createServerLock>;
