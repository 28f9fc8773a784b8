// A TCP forwarder for the test rig: Redis listens on loopback only, which rig hosts (network namespaces)
// cannot reach; they reach LISTEN_HOST:LISTEN_PORT on the management bridge instead.
// usage: node tcp-forward.mjs LISTEN_HOST LISTEN_PORT TARGET_HOST TARGET_PORT
import net from 'node:net';

const [listenHost, listenPort, targetHost, targetPort] = process.argv.slice(2);
if (!targetPort) {
  console.error('usage: node tcp-forward.mjs LISTEN_HOST LISTEN_PORT TARGET_HOST TARGET_PORT');
  process.exit(2);
}

const server = net.createServer((client) => {
  const upstream = net.connect({ host: targetHost, port: Number(targetPort), noDelay: true });
  client.setNoDelay(true);
  client.pipe(upstream).pipe(client);
  // Either side going away ends both: a killed agent must not leave a half-open Redis connection.
  const end = () => (client.destroy(), upstream.destroy());
  for (const s of [client, upstream]) s.on('error', end).on('close', end);
});
server.on('error', (e) => (console.error(`tcp-forward: ${e.message}`), process.exit(1)));
server.listen(Number(listenPort), listenHost, () => console.log(`tcp-forward ${listenHost}:${listenPort} -> ${targetHost}:${targetPort}`));
for (const s of ['SIGINT', 'SIGTERM']) process.on(s, () => process.exit(0));
