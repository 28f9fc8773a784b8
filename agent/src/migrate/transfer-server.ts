import { createPublicKey, createHash } from 'node:crypto';
import { open, rename, rm, stat, type FileHandle } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { canonicalJson, type TServerSpec, type TTransferClaims } from '@berth/contracts';
import type { ContainerDriver } from '../driver/driver.ts';
import { run } from '../exec/run.ts';
import { storagePaths } from '../storage/paths.ts';
import type { TServerLock } from '../worker/server-lock.ts';
import { CHUNK_BYTES, hashImage, isZero, sha256, type TChunkHashes } from './disk-chunks.ts';
import { HASH_HEADER, ZBeginRequest, ZCommitRequest, ZERO_HEADER } from './protocol.ts';
import type { TTransferCert } from './transfer-cert.ts';
import { verifyTransferToken } from './verify-transfer-token.ts';

type TOptions = {
  hostId: string;
  dataDir: string;
  /** The panel's Ed25519 public key (base64 SPKI DER): the same key that checks console tickets. */
  verifyKey: string;
  driver: ContainerDriver;
  lock: TServerLock;
  cert: TTransferCert;
  listenHost: string;
  port: number;
  publicHost: string;
  log?: (m: string) => void;
};

/** A copy being received: the file being written and the hashes of what it holds now. */
type TSession = { op: string; exp: number; file: string; fh: FileHandle; size: number; hashes: TChunkHashes };

class HttpError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
  }
}

const JSON_LIMIT = 32 * 1024 * 1024;
const GiB = 1024 ** 3;
const exists = (p: string) => stat(p).then(() => true, () => false);

const readBody = async (req: IncomingMessage, limit: number): Promise<Buffer> => {
  const parts: Buffer[] = [];
  let n = 0;
  for await (const part of req as AsyncIterable<Buffer>) {
    n += part.length;
    if (n > limit) throw new HttpError(413, `body over ${limit} bytes`);
    parts.push(part);
  }
  return Buffer.concat(parts);
};
const readJson = async (req: IncomingMessage) => {
  try {
    return JSON.parse((await readBody(req, JSON_LIMIT)).toString('utf8')) as unknown;
  } catch (e) {
    throw e instanceof HttpError ? e : new HttpError(400, 'body is not JSON');
  }
};

/**
 * The receiving end of a migration: an HTTPS endpoint (self-signed certificate the source pins) where a
 * source agent holding a panel-signed token for this host and server pushes the VPS's disk in chunks, each
 * checked against its sha256. `begin` reports what this host already holds (a copy from an interrupted
 * attempt, or the VPS's template reflinked), so a retry resumes and only differences travel; `commit`
 * checks the whole chunk list, installs the disk and starts the VPS with the spec the panel signed.
 */
export const startTransferServer = async (o: TOptions) => {
  const log = o.log ?? ((m: string) => console.log(`transfer: ${m}`));
  const key = createPublicKey({ key: Buffer.from(o.verifyKey, 'base64'), format: 'der', type: 'spki' });
  const paths = storagePaths(o.dataDir);
  const sessions = new Map<string, TSession>();
  const incoming = (sid: string) => `${paths.image(sid)}.incoming`;

  const close = async (sid: string) => {
    const s = sessions.get(sid);
    sessions.delete(sid);
    await s?.fh.close().catch(() => {});
  };

  // The spec must be the one the panel signed for this operation: a source cannot choose limits or id ranges.
  const signedSpec = (sid: string, claims: TTransferClaims, spec: TServerSpec) => {
    if (spec.serverId !== sid || createHash('sha256').update(canonicalJson(spec)).digest('hex') !== claims.digest) {
      throw new HttpError(403, 'the spec is not the one the panel signed');
    }
  };
  const migratedBy = (claims: TTransferClaims) => `migration ${claims.op}`;
  /** The VPS is here because this operation committed it (an earlier attempt whose answer was lost). */
  const committedBy = async (sid: string, claims: TTransferClaims) =>
    (await o.driver.state(sid)) !== 'absent' && (await o.driver.origin(sid)) === migratedBy(claims);

  const begin = async (sid: string, claims: TTransferClaims, body: unknown) => {
    const b = ZBeginRequest.safeParse(body);
    if (!b.success) throw new HttpError(400, b.error.message);
    signedSpec(sid, claims, b.data.spec);
    if (b.data.chunkBytes !== CHUNK_BYTES) throw new HttpError(400, `chunks are ${CHUNK_BYTES} bytes here`);
    if (b.data.size > b.data.spec.limits.diskGb * GiB) throw new HttpError(400, `a ${b.data.spec.limits.diskGb} GB disk cannot be ${b.data.size} bytes`);
    if (await committedBy(sid, claims)) return { committed: true, hashes: [] };
    // Never written over: a VPS of this id that another migration (or a create) left here is not ours to replace.
    if ((await o.driver.state(sid)) !== 'absent') throw new HttpError(409, `${sid} already exists on this host (not from this migration)`);
    const existing = sessions.get(sid);
    if (existing?.op === claims.op && existing.size === b.data.size) return { committed: false, hashes: [...existing.hashes] };
    await close(sid);
    // A disk without a container is what a failed commit left behind: it is not a VPS of this host.
    if (await exists(paths.image(sid))) await o.driver.destroy({ serverId: sid });
    const file = incoming(sid);
    if (!(await exists(file))) {
      // Start from this host's copy of the VPS's template: the blocks the VPS never changed need not travel.
      const template = paths.template(b.data.spec.imageRef);
      if (await exists(template)) await run('cp', ['--reflink=always', template, `${file}.tmp`]);
      await run('truncate', ['-s', String(b.data.size), `${file}.tmp`]);
      await rename(`${file}.tmp`, file);
    } else {
      await run('truncate', ['-s', String(b.data.size), file]);
    }
    const { hashes } = await hashImage(file);
    sessions.set(sid, { op: claims.op, exp: claims.exp, file, fh: await open(file, 'r+'), size: b.data.size, hashes });
    log(`${sid}: receiving from ${claims.from} (op ${claims.op}); ${hashes.size} chunks already here`);
    return { committed: false, hashes: [...hashes] };
  };

  /** The session of this operation (chunks and commit belong to the `begin` of the same operation). */
  const sessionOf = (sid: string, claims: TTransferClaims) => {
    const s = sessions.get(sid);
    if (!s || s.op !== claims.op) throw new HttpError(409, 'no transfer of this operation in progress: begin first');
    return s;
  };

  const putChunk = async (sid: string, claims: TTransferClaims, index: number, req: IncomingMessage) => {
    const s = sessionOf(sid, claims);
    if (index * CHUNK_BYTES >= s.size) throw new HttpError(400, `chunk ${index} is past the end of the disk`);
    const len = Math.min(CHUNK_BYTES, s.size - index * CHUNK_BYTES);
    const body = await readBody(req, CHUNK_BYTES);
    if (req.headers[ZERO_HEADER] === '1' && body.length === 0) {
      await punchHole(s, index, len);
      return;
    }
    if (body.length !== len) throw new HttpError(400, `chunk ${index} must be ${len} bytes`);
    if (req.headers[HASH_HEADER] !== sha256(body)) throw new HttpError(422, `chunk ${index}: checksum mismatch`);
    if (isZero(body)) return punchHole(s, index, len);
    await s.fh.write(body, 0, body.length, index * CHUNK_BYTES);
    s.hashes.set(index, req.headers[HASH_HEADER]);
  };

  const punchHole = async (s: TSession, index: number, len: number) => {
    await run('fallocate', ['--punch-hole', '--offset', String(index * CHUNK_BYTES), '--length', String(len), s.file]);
    s.hashes.delete(index);
  };

  const commit = async (sid: string, claims: TTransferClaims, body: unknown) => {
    const c = ZCommitRequest.safeParse(body);
    if (!c.success) throw new HttpError(400, c.error.message);
    const { spec, size, hashes, start } = c.data;
    signedSpec(sid, claims, spec);
    if (await committedBy(sid, claims)) return { state: await o.driver.state(sid) }; // an earlier attempt's answer was lost
    const s = sessionOf(sid, claims);
    const want = new Map(hashes);
    const differ = s.size !== size || want.size !== s.hashes.size || [...want].some(([i, h]) => s.hashes.get(i) !== h);
    if (differ) throw new HttpError(409, 'the copy here does not match the source\'s chunk list; send the difference again');
    await s.fh.sync();
    await close(sid);
    if (await exists(paths.image(sid))) throw new HttpError(409, `${sid} already has a disk on this host`);
    await rename(s.file, paths.image(sid));
    return o.lock.run(sid, async () => {
      try {
        await o.driver.adopt(spec, migratedBy(claims));
        if (start) await o.driver.start(spec);
      } catch (e) {
        await o.driver.destroy(spec).catch((err: Error) => log(`${sid}: cleanup after a failed commit: ${err.message}`));
        throw e;
      }
      log(`${sid}: committed from ${claims.from} (op ${claims.op}), ${start ? 'running' : 'stopped'}`);
      return { state: start ? 'running' : 'stopped' };
    });
  };

  // The source gave up before a commit: its incoming copy goes. A committed VPS is never removed this way
  // (a token replayed later must not destroy a VPS that lives here now); a failed commit removed its own.
  const abort = async (sid: string, claims: TTransferClaims) => {
    if (sessions.get(sid)?.op === claims.op || !sessions.has(sid)) {
      await close(sid);
      await rm(incoming(sid), { force: true });
      await rm(`${incoming(sid)}.tmp`, { force: true });
    }
    log(`${sid}: transfer from ${claims.from} aborted (op ${claims.op})`);
  };

  // Under the server's lock: a commit still starting the VPS is answered once it has ended.
  const status = (sid: string, claims: TTransferClaims) =>
    o.lock.run(sid, async () => ({ state: await o.driver.state(sid), committed: await committedBy(sid, claims) }));

  // A transfer whose token has expired will never be committed: its copy goes (checked every few minutes).
  const sweep = setInterval(() => {
    for (const [sid, s] of sessions) {
      if (s.exp > Date.now() / 1000) continue;
      void close(sid).then(() => rm(s.file, { force: true })).then(() => log(`${sid}: dropped the copy of expired op ${s.op}`));
    }
  }, 5 * 60_000);
  sweep.unref();

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const m = /^\/v1\/migrations\/(srv_[0-9a-z]{6,40})(?:\/(begin|commit)|\/chunks\/(\d{1,9}))?$/.exec(req.url ?? '');
    if (!m) throw new HttpError(404, 'not found');
    const sid = m[1]!;
    const token = /^Bearer (\S+)$/.exec(req.headers.authorization ?? '')?.[1];
    const claims = token ? verifyTransferToken(key, token, o.hostId, sid) : null;
    if (!claims) throw new HttpError(401, 'a valid transfer token for this host and server is required');
    const send = (status: number, body?: unknown) => {
      res.writeHead(status, body === undefined ? {} : { 'content-type': 'application/json' }).end(body === undefined ? undefined : JSON.stringify(body));
    };
    const route = `${req.method} ${m[2] ?? (m[3] !== undefined ? 'chunk' : '')}`;
    if (route === 'POST begin') return send(200, await begin(sid, claims, await readJson(req)));
    if (route === 'PUT chunk') return (await putChunk(sid, claims, Number(m[3]), req), send(204));
    if (route === 'POST commit') return send(200, await commit(sid, claims, await readJson(req)));
    if (route === 'DELETE ') return (await abort(sid, claims), send(204));
    if (route === 'GET ') return send(200, await status(sid, claims));
    throw new HttpError(405, 'method not allowed');
  };

  const server = createServer({ key: o.cert.keyPem, cert: o.cert.certPem }, (req, res) => {
    handle(req, res).catch((e: unknown) => {
      const status = e instanceof HttpError ? e.status : 500;
      const message = e instanceof Error ? e.message : String(e);
      if (status === 500) log(`${req.method} ${req.url}: ${message}`);
      if (!res.headersSent) res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify({ error: message.slice(0, 2000) }));
      else res.destroy();
      req.resume(); // drain an unread body so the connection can be reused
    });
  });
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve, reject) => server.listen(o.port, o.listenHost, resolve).once('error', reject));
  const { port } = server.address() as AddressInfo;
  const url = `https://${o.publicHost}:${port}`;
  log(`listening on ${url}`);
  return {
    url,
    certPem: o.cert.certPem,
    close: async () => {
      clearInterval(sweep);
      for (const sid of [...sessions.keys()]) await close(sid);
      await new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
    },
  };
};
export type TTransferServer = Awaited<ReturnType<typeof startTransferServer>>;
