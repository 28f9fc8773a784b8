'use client';
import '@xterm/xterm/css/xterm.css';
import { useEffect, useRef, useState } from 'react';
import type { TConsoleTicket } from '@berth/contracts';
import { callApi, problemMessage } from './api-client.ts';

type TState = { kind: 'idle' } | { kind: 'connecting' } | { kind: 'open' } | { kind: 'closed'; why: string };

const CLOSE_REASONS: Record<number, string> = {
  4001: 'the console ticket expired or was refused',
  4003: 'your access to this console was withdrawn',
  4004: 'the server is not running',
};

/**
 * The web console: xterm.js in the page, a websocket straight to the host's agent with a one-minute ticket
 * from the panel, renewed while the tab stays open (the panel refuses a renewal once the right is gone).
 */
export function ServerConsole({ serverId }: { serverId: string }) {
  const box = useRef<HTMLDivElement>(null);
  const stop = useRef<(() => void) | null>(null);
  const [state, setState] = useState<TState>({ kind: 'idle' });

  useEffect(() => () => stop.current?.(), []);

  const open = async () => {
    setState({ kind: 'connecting' });
    const ticket = await callApi<TConsoleTicket>(`/api/v1/servers/${serverId}/console`, { method: 'POST' });
    if (!ticket.ok) return setState({ kind: 'closed', why: problemMessage(ticket.problem) });
    const [{ Terminal }, { FitAddon }] = await Promise.all([import('@xterm/xterm'), import('@xterm/addon-fit')]);
    const term = new Terminal({ cursorBlink: true, fontSize: 14, convertEol: false });
    const fit = new FitAddon();
    term.loadAddon(fit);
    term.open(box.current!);
    fit.fit();
    const url = `${ticket.data.url}?token=${encodeURIComponent(ticket.data.token)}&cols=${term.cols}&rows=${term.rows}`;
    const ws = new WebSocket(url);
    ws.binaryType = 'arraybuffer';
    const enc = new TextEncoder();
    ws.onopen = () => { setState({ kind: 'open' }); term.focus(); };
    ws.onmessage = (e) => term.write(typeof e.data === 'string' ? e.data : new Uint8Array(e.data as ArrayBuffer));
    const input = term.onData((d) => ws.readyState === WebSocket.OPEN && ws.send(enc.encode(d)));
    const resize = term.onResize(({ cols, rows }) => ws.readyState === WebSocket.OPEN && ws.send(JSON.stringify({ type: 'resize', cols, rows })));
    const onWindow = () => fit.fit();
    window.addEventListener('resize', onWindow);
    const renew = setInterval(async () => {
      const next = await callApi<TConsoleTicket>(`/api/v1/servers/${serverId}/console`, { method: 'POST' });
      if (next.ok && ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify({ type: 'renew', token: next.data.token }));
    }, ticket.data.renewAfterSeconds * 1000);
    const cleanup = () => {
      clearInterval(renew);
      window.removeEventListener('resize', onWindow);
      input.dispose();
      resize.dispose();
    };
    ws.onclose = (e) => {
      cleanup();
      setState({ kind: 'closed', why: CLOSE_REASONS[e.code] ?? (e.reason || 'the connection ended') });
    };
    stop.current = () => { cleanup(); ws.close(); term.dispose(); };
  };

  return (
    <div className="stack-sm">
      {state.kind === 'idle' && (
        <div className="section-actions"><button type="button" className="btn" onClick={() => void open()}>Open console</button></div>
      )}
      {state.kind === 'connecting' && <p className="muted">Connecting…</p>}
      {state.kind === 'closed' && (
        <p className="alert" role="status">
          Console closed: {state.why}.{' '}
          <button type="button" className="btn btn-small" onClick={() => { stop.current?.(); stop.current = null; setState({ kind: 'idle' }); }}>Reconnect</button>
        </p>
      )}
      <div ref={box} className="console" data-testid="console" aria-label="Server console" hidden={state.kind === 'idle'} />
    </div>
  );
}
