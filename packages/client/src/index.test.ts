// The client against a real loopback HTTP server that drops the connection of the first request it gets,
// as a server does when a kept-alive socket is reused at the moment its idle timeout closes it.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, expect, it } from 'vitest';
import { createBerthClient } from './index.ts';

let server: Server | undefined;
afterEach(() => new Promise<void>((r) => (server ? server.close(() => r()) : r())));

/** Serves 200 {"n":<count>}, except that the first `drop` requests lose their connection unanswered. */
const serve = async (drop: number) => {
  const seen: string[] = [];
  server = createServer((req, res) => {
    seen.push(`${req.method} ${req.url}`);
    if (seen.length <= drop) return req.socket.destroy();
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ n: seen.length }));
  });
  await new Promise<void>((r) => server!.listen(0, '127.0.0.1', () => r()));
  const client = createBerthClient({ baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, apiKey: 'k' });
  return { client, seen };
};

it('sends a read again on a new connection when the server closed the first one', async () => {
  const { client, seen } = await serve(1);
  const r = await client.raw('GET', '/plans');
  expect(r).toMatchObject({ status: 200, body: { n: 2 } });
  expect(seen).toEqual(['GET /api/v1/plans', 'GET /api/v1/plans']);
});

it('tries a read twice at most', async () => {
  const { client, seen } = await serve(2);
  await expect(client.raw('GET', '/plans')).rejects.toThrow(TypeError);
  expect(seen).toHaveLength(2);
});

it('sends a write again only when it is a POST carrying an Idempotency-Key', async () => {
  const plain = await serve(1);
  await expect(plain.client.raw('POST', '/servers', { body: { hostname: 'x' } })).rejects.toThrow(TypeError);
  expect(plain.seen).toEqual(['POST /api/v1/servers']);
  await new Promise<void>((r) => server!.close(() => r()));

  const del = await serve(1);
  await expect(del.client.raw('DELETE', '/servers/srv_x', { headers: { 'Idempotency-Key': 'd-1' } })).rejects.toThrow(TypeError);
  expect(del.seen).toHaveLength(1); // the key means nothing to the API on a DELETE
  await new Promise<void>((r) => server!.close(() => r()));

  const keyed = await serve(1);
  const r = await keyed.client.raw('POST', '/servers', { body: { hostname: 'x' }, headers: { 'Idempotency-Key': 'order-1' } });
  expect(r.status).toBe(200);
  expect(keyed.seen).toEqual(['POST /api/v1/servers', 'POST /api/v1/servers']);
});
