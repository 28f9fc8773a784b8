import type { THandlerInput } from './types.ts';

const MB = 1024 * 1024;

/**
 * An onProgress(done, total) for a long copy that reports `step (x of y MB<note>)` as `from`..`from + span`
 * percent, at most every 5 points (a progress report is a Redis job: not one per chunk).
 */
export const byteProgress = (progress: THandlerInput['progress'], step: string, o: { from: number; span: number; note?: string }) => {
  let last = 0;
  return (done: number, total: number) => {
    const pct = Math.min(total ? Math.floor((done / total) * o.span) + o.from : o.from + o.span, o.from + o.span);
    if (pct - last < 5) return;
    last = pct;
    void progress(`${step} (${Math.round(done / MB)} of ${Math.round(total / MB)} MB${o.note ?? ''})`, pct);
  };
};
