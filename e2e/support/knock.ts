// A client that keeps knocking on a TCP port (a VPS's SSH) every `everyMs`: the longest gap between two
// answers is how long the service was away (a migration's downtime, as a customer's client sees it).
import { connect } from 'node:net';

const open = (host: string, port: number, timeoutMs: number) =>
  new Promise<boolean>((resolve) => {
    const s = connect({ host, port, timeout: timeoutMs });
    const done = (ok: boolean) => (s.destroy(), resolve(ok));
    s.once('connect', () => done(true)).once('timeout', () => done(false)).once('error', () => done(false));
  });

export const startKnocking = (host: string, port = 22, everyMs = 50) => {
  let knocking = true;
  let lastUp = 0;
  let gap = { ms: 0, from: 0, to: 0 };
  let answers = 0;
  const loop = (async () => {
    while (knocking) {
      if (await open(host, port, 200)) {
        const now = Date.now();
        if (lastUp && now - lastUp > gap.ms) gap = { ms: now - lastUp, from: lastUp, to: now };
        lastUp = now;
        answers++;
      }
      await new Promise((r) => setTimeout(r, everyMs));
    }
  })();
  /** Stop and report: the longest gap (last answer before it, first after) and how many answers came. */
  return async () => {
    knocking = false;
    await loop;
    return { longestGapMs: gap.ms, gapFrom: gap.from, gapTo: gap.to, answers };
  };
};
