import { createHash, createPrivateKey, sign } from 'node:crypto';
import { canonicalJson, type TMigrationTarget, type TServerSpec, type TTransferClaims } from '@berth/contracts';

/** A job cannot be built for reasons a retry of the dispatch will not change: the operation fails with this. */
export class JobBuildError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'JobBuildError';
  }
}

/**
 * How long a source may push with one token: from dispatch, through waiting behind other migrations of its
 * host (an evacuation queues them all at once) and the job's retries. A replayed token cannot harm a VPS the
 * target holds (it only ever writes an incoming copy of that operation), and an expired copy is dropped.
 */
export const TRANSFER_TOKEN_TTL_S = 24 * 3600;

export const specDigest = (spec: TServerSpec) => createHash('sha256').update(canonicalJson(spec)).digest('hex');

/** `<base64url JSON claims>.<base64url Ed25519 signature of the first part>`, as console tickets. */
export const signTransferToken = (signingKeyB64: string, claims: Omit<TTransferClaims, 'v' | 'kind'>): string => {
  const key = createPrivateKey({ key: Buffer.from(signingKeyB64, 'base64'), format: 'der', type: 'pkcs8' });
  const body = Buffer.from(JSON.stringify({ v: 1, kind: 'transfer', ...claims })).toString('base64url');
  return `${body}.${sign(null, Buffer.from(body), key).toString('base64url')}`;
};

type TOptions = {
  host: { id: string; transferUrl: string | null; transferCertPem: string | null };
  operationId: string;
  fromHostId: string;
  spec: TServerSpec;
  /** The server runs now (the panel's view): it runs on the target too. */
  start: boolean;
  signingKey: string;
  now: Date;
};

/** Where and with what right the source pushes the VPS: the target's endpoint and pinned certificate, and a token bound to the spec. */
export const migrationTarget = ({ host, operationId, fromHostId, spec, start, signingKey, now }: TOptions): TMigrationTarget => {
  if (!host.transferUrl || !host.transferCertPem) throw new JobBuildError(`host ${host.id} has not reported a transfer endpoint (its agent is older or has never run)`);
  const exp = Math.floor(now.getTime() / 1000) + TRANSFER_TOKEN_TTL_S;
  const token = signTransferToken(signingKey, { op: operationId, sid: spec.serverId, from: fromHostId, to: host.id, digest: specDigest(spec), exp });
  return { hostId: host.id, url: host.transferUrl, certPem: host.transferCertPem, token, spec, start };
};
