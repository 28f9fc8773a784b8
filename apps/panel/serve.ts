// The panel's HTTP server: Next.js behind a plain node:http listener, so the caller's address comes from
// the socket (X-Forwarded-For only from TRUSTED_PROXIES) and reaches the API as x-berth-client-ip, which
// a client can never set itself. Used by `npm start`, the e2e stacks and Docker.
import { createServer } from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import next from 'next';
import { loadEnv, ZPanelEnv } from '@berth/config';
import { clientIp, markServedBySocket } from './server/client-ip.ts';

const env = loadEnv(ZPanelEnv);
markServedBySocket();
const dir = path.dirname(fileURLToPath(import.meta.url));
const app = next({ dev: false, dir, hostname: env.PANEL_HOST, port: env.PORT });
await app.prepare();
const handle = app.getRequestHandler();

const server = createServer((req, res) => {
  req.headers['x-berth-client-ip'] = clientIp(req.socket.remoteAddress ?? null, req.headers['x-forwarded-for'], env.TRUSTED_PROXIES) ?? '';
  void handle(req, res);
});
// Idle keep-alive sockets live 65 s (Node's default is 5 s): a client reuses a socket until just before
// the timeout the server announces, so with 5 s a client or a panel paused for a few seconds (a busy host)
// sends a request into a socket as it is closed and loses it. Header timeout above it, as Node requires.
server.keepAliveTimeout = 65_000;
server.headersTimeout = 66_000;
server.listen(env.PORT, env.PANEL_HOST, () => console.log(`[panel] listening on http://${env.PANEL_HOST}:${env.PORT}`));
const stop = () => {
  server.close(() => process.exit(0));
  setTimeout(() => process.exit(0), 3000).unref(); // long polls and keep-alives do not hold the exit
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
