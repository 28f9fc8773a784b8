import { spawn } from 'node:child_process';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { WebSocketServer, type WebSocket } from 'ws';
import { ZConsoleControl } from '@berth/contracts';
import { accessRevokedChannel } from '@berth/jobs';
import { consoleVerifyKey, verifyConsoleToken } from './verify-console-token.ts';

const RELAY = path.join(path.dirname(fileURLToPath(import.meta.url)), '../../scripts/pty-relay.py');

type TOptions = {
  hostId: string;
  lxcPath: string;
  verifyKey: string;
  listenHost: string;
  port: number;
  publicHost: string;
  redisUrl: string;
  prefix: string;
  isRunning: (serverId: string) => Promise<boolean>;
  /** What runs on the pty; a login shell inside the VPS by default. */
  command?: (serverId: string) => string[];
  log?: (m: string) => void;
};

type TSession = { ws: WebSocket; serverId: string; userId: string; deadline: number; close: (code: number, why: string) => void };

// Typing speed, not a paste of a file: 64 KiB burst, 16 KiB/s sustained; beyond it input is dropped.
const INPUT_BURST = 64 * 1024;
const INPUT_RATE = 16 * 1024;
const GRACE_MS = 5_000;
// The longest a console ticket lives (the panel issues them for 60 s), plus clock slack.
const TICKET_LIFE_MS = 90_000;

/**
 * The host's web console: a websocket per browser tab, admitted only with a ticket the panel signed for this
 * host (Ed25519, single use), relaying a login shell inside the VPS on a pty. The session lives while the
 * browser renews its ticket (the panel refuses to renew once the right is gone) and ends at once when the
 * panel announces the user's access changed.
 */
export const startConsoleServer = async (o: TOptions) => {
  const log = o.log ?? ((m: string) => console.log(`console: ${m}`));
  const key = consoleVerifyKey(o.verifyKey);
  const seen = new Map<string, number>(); // jti -> exp, so a ticket opens at most one session
  const sessions = new Set<TSession>();
  // login must run on a pty of the container's own (it chowns its tty: a host pty is not the VPS root's to
  // chown), so script(1) inside makes one; it passes our window size and later SIGWINCH changes through.
  const command = o.command ?? ((id) => ['lxc-attach', '-P', o.lxcPath, '-n', id, '--clear-env', '--', 'script', '-qfec', '/bin/login -f root', '/dev/null']);

  // Users whose access changed: until every ticket issued before the change has expired, their tickets open
  // (or renew) only the servers they kept. A ticket carries no issue time, so the window is a ticket's life.
  const revoked = new Map<string, { keep: Set<string>; until: number }>();
  const admit = (token: string) => {
    const claims = verifyConsoleToken(key, token, o.hostId);
    if (!claims || seen.has(claims.jti)) return null;
    const r = revoked.get(claims.uid);
    if (r && r.until > Date.now() && !r.keep.has(claims.sid)) return null;
    seen.set(claims.jti, claims.exp);
    return claims;
  };

  const wss = new WebSocketServer({ host: o.listenHost, port: o.port, path: '/console', maxPayload: 64 * 1024 });
  wss.on('error', (e) => log(`server error: ${e.message}`));
  await new Promise<void>((resolve, reject) => wss.once('listening', resolve).once('error', reject));
  const { port } = wss.address() as AddressInfo;

  wss.on('connection', (ws, req) => {
    // A bad frame (e.g. over maxPayload) is the client's problem: ws closes the socket (1009); an 'error'
    // without a listener would take the whole agent down.
    ws.on('error', (e) => log(`socket error: ${e.message}`));
    const url = new URL(req.url ?? '/', 'http://x');
    const claims = admit(url.searchParams.get('token') ?? '');
    if (!claims) return ws.close(4001, 'invalid or used ticket');
    void (async () => {
      if (!(await o.isRunning(claims.sid))) return ws.close(4004, 'the server is not running');
      const cols = Math.min(1000, Math.max(1, Number(url.searchParams.get('cols')) || 80));
      const rows = Math.min(500, Math.max(1, Number(url.searchParams.get('rows')) || 24));
      const child = spawn('/usr/bin/python3', [RELAY, String(cols), String(rows), 'fd3', '--', ...command(claims.sid)], {
        stdio: ['pipe', 'pipe', 'pipe', 'pipe'], env: { TERM: 'xterm-256color', PATH: '/usr/sbin:/usr/bin:/sbin:/bin' },
      });
      const ctl = child.stdio[3] as NodeJS.WritableStream;
      let tokens = INPUT_BURST;
      let last = Date.now();
      const session: TSession = {
        ws, serverId: claims.sid, userId: claims.uid, deadline: claims.exp * 1000 + GRACE_MS,
        close: (code, why) => {
          sessions.delete(session);
          child.kill('SIGHUP');
          if (ws.readyState === ws.OPEN) ws.close(code, why);
        },
      };
      sessions.add(session);
      log(`open ${claims.sid} for ${claims.uid}`);
      child.stdout!.on('data', (d: Buffer) => ws.readyState === ws.OPEN && ws.send(d));
      child.stderr!.on('data', (d: Buffer) => ws.readyState === ws.OPEN && ws.send(d));
      child.on('exit', () => session.close(1000, 'shell ended'));
      child.on('error', (e) => session.close(1011, `console failed: ${e.message}`));
      ws.on('close', () => session.close(1000, 'closed'));
      ws.on('message', (data, isBinary) => {
        if (isBinary) {
          const now = Date.now();
          tokens = Math.min(INPUT_BURST, tokens + ((now - last) / 1000) * INPUT_RATE);
          last = now;
          const buf = data as Buffer;
          if (buf.length > tokens) return; // over the input rate: dropped
          tokens -= buf.length;
          child.stdin!.write(buf);
          return;
        }
        let msg: unknown;
        try {
          msg = JSON.parse(String(data));
        } catch {
          return;
        }
        const c = ZConsoleControl.safeParse(msg);
        if (!c.success) return;
        if (c.data.type === 'resize') ctl.write(`${c.data.cols} ${c.data.rows}\n`);
        else {
          const fresh = admit(c.data.token);
          if (fresh && fresh.sid === session.serverId && fresh.uid === session.userId) session.deadline = fresh.exp * 1000 + GRACE_MS;
        }
      });
    })().catch((e: unknown) => {
      log(`session failed: ${String(e)}`);
      ws.close(1011, 'console failed');
    });
  });

  // Tickets not renewed in time end the session; spent jtis are forgotten once they expire.
  const sweeper = setInterval(() => {
    const now = Date.now();
    for (const s of sessions) if (s.deadline < now) s.close(4001, 'ticket expired');
    for (const [jti, exp] of seen) if (exp * 1000 < now) seen.delete(jti);
    for (const [uid, r] of revoked) if (r.until < now) revoked.delete(uid);
  }, 1000);

  const sub = new Redis(o.redisUrl, { maxRetriesPerRequest: null });
  sub.on('error', (e: Error) => log(`revocations: redis ${e.message}`));
  await sub.subscribe(accessRevokedChannel(o.prefix));
  sub.on('message', (_channel, payload) => {
    try {
      const { userId, keep } = JSON.parse(payload) as { userId: string; keep: string[] };
      revoked.set(userId, { keep: new Set(keep), until: Date.now() + TICKET_LIFE_MS });
      for (const s of sessions) if (s.userId === userId && !keep.includes(s.serverId)) s.close(4003, 'access revoked');
    } catch {
      // not ours
    }
  });

  return {
    url: `ws://${o.publicHost}:${port}/console`,
    sessions: () => sessions.size,
    close: async () => {
      clearInterval(sweeper);
      for (const s of sessions) s.close(1001, 'agent stopping');
      sub.disconnect();
      await new Promise<void>((r) => wss.close(() => r()));
    },
  };
};
