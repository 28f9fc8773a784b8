/** A job that ran past its catalog timeout (JOBS[name].timeoutMs). */
export class JobTimeoutError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'JobTimeoutError';
  }
}

/**
 * Settle with `work`, or reject with JobTimeoutError after `ms`. The work itself cannot be cancelled and may
 * go on in the background; what the timeout guarantees is that the caller (and the per-server lock it
 * holds) moves on.
 */
export const withTimeout = <T>(work: Promise<T>, ms: number, what: string): Promise<T> =>
  new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new JobTimeoutError(`${what} timed out after ${Math.round(ms / 1000)} s on the agent`)), ms);
    work.then(
      (v) => { clearTimeout(timer); resolve(v); },
      (e: unknown) => { clearTimeout(timer); reject(e); },
    );
  });
