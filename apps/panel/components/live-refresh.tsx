'use client';
import { useEffect, useState } from 'react';
import { useRouter } from 'next/navigation';

type TProps = {
  /** The servers this page shows. */
  serverIds: string[];
  /** Also hear about new servers of the caller's tenant (list pages). */
  list?: boolean;
  /** Something is still changing: also poll, in case a notification is ever missed. */
  active: boolean;
};

/**
 * Re-renders the page's server components the moment the panel's event stream (/api/live, fed by
 * Postgres NOTIFY) says one of its servers or their operations changed. Shows whether it is live.
 */
export function LiveRefresh({ serverIds, list = false, active }: TProps) {
  const router = useRouter();
  const [state, setState] = useState<'connecting' | 'live' | 'offline'>('connecting');
  const ids = serverIds.join(',');

  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    // Coalesce bursts (progress steps arrive close together) into one re-render.
    const refresh = () => {
      timer ??= setTimeout(() => {
        timer = undefined;
        router.refresh();
      }, 200);
    };
    const source = new EventSource(`/api/live?servers=${ids}&list=${list ? 1 : 0}`);
    let connectedBefore = false;
    source.addEventListener('ready', () => {
      if (connectedBefore) refresh(); // back after a drop: catch up on what was missed
      connectedBefore = true;
      setState('live');
    });
    source.addEventListener('change', refresh);
    source.addEventListener('end', () => {
      source.close();
      setState('offline');
    });
    source.onerror = () => setState(source.readyState === EventSource.CLOSED ? 'offline' : 'connecting');
    return () => {
      source.close();
      clearTimeout(timer);
    };
  }, [ids, list, router]);

  // Safety net while something changes: a slow poll when the stream is up (in case a notification is
  // ever missed), a quick one while it is down.
  useEffect(() => {
    if (!active) return;
    const poll = setInterval(() => router.refresh(), state === 'live' ? 60_000 : 3_000);
    return () => clearInterval(poll);
  }, [active, state, router]);

  return (
    <span className={`live live-${state}`} data-testid="live" data-state={state} title={state === 'live' ? 'This page updates by itself' : 'Reconnecting for live updates'}>
      {state === 'live' ? 'Live' : state === 'connecting' ? 'Connecting…' : 'Offline'}
    </span>
  );
}
