import type { NextRequest } from 'next/server';
import { ZLiveQuery } from '@berth/contracts';
import { AppError, authenticateSession, filterVisibleServers } from '@berth/core';
import { panel } from '../../../server/context.ts';
import { problemResponse } from '../../../server/http.ts';
import { watchServers } from '../../../server/server-events.ts';
import { SESSION_COOKIE } from '../../../server/with-auth.ts';

export const dynamic = 'force-dynamic';

const CHECK_MS = 25_000; // keep-alive comment and session re-check
const MAX_MS = 10 * 60_000; // then close; EventSource reconnects and the page re-reads

/**
 * Server-sent events for the signed-in panel: `change` with a server id whenever a server the page shows
 * (or, with list=1, any server of the caller's tenant or its customers) or its operation changes. Driven
 * by Postgres NOTIFY, so pages update the moment the worker records progress instead of polling. Only ids
 * go out; the page re-reads through the same core functions as everything else.
 */
export const GET = async (req: NextRequest) => {
  try {
    const { db } = panel();
    const token = req.cookies.get(SESSION_COOKIE)?.value;
    const principal = await authenticateSession({ db, token });
    const query = ZLiveQuery.safeParse(Object.fromEntries(req.nextUrl.searchParams));
    if (!query.success) throw new AppError('validation_failed', 'servers must be up to 200 comma-separated srv_ ids; list is 0 or 1.');
    const serverIds = await filterVisibleServers({ db, principal, serverIds: query.data.servers });
    // Sub-users see only servers granted to them, so a new server of the tenant is no news to them.
    const tenantIds = query.data.list === '1' && !principal.subUser ? [principal.tenantId] : [];

    const encoder = new TextEncoder();
    let cleanup = () => {};
    const stream = new ReadableStream<Uint8Array>({
      start: async (controller) => {
        let open = true;
        const send = (text: string) => {
          if (!open) return;
          try {
            controller.enqueue(encoder.encode(text));
          } catch {
            close();
          }
        };
        const close = () => {
          if (!open) return;
          open = false;
          cleanup();
          try {
            controller.close();
          } catch { /* already closed by the client */ }
        };
        const unwatch = await watchServers({ serverIds, tenantIds, wake: (id) => send(`event: change\ndata: ${id}\n\n`) });
        const check = setInterval(() => {
          authenticateSession({ db, token }).then(() => send(': alive\n\n'), () => {
            send('event: end\ndata: signed-out\n\n');
            close();
          });
        }, CHECK_MS);
        const stop = setTimeout(close, MAX_MS);
        cleanup = () => {
          unwatch();
          clearInterval(check);
          clearTimeout(stop);
        };
        req.signal.addEventListener('abort', close);
        send('retry: 3000\nevent: ready\ndata: {}\n\n');
      },
      cancel: () => cleanup(),
    });
    return new Response(stream, {
      headers: { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache, no-transform', 'x-accel-buffering': 'no' },
    });
  } catch (err) {
    return problemResponse(err);
  }
};
