import { X509Certificate } from 'node:crypto';
import { chmod, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { run } from '../exec/run.ts';

export type TTransferCert = { keyPem: string; certPem: string; fingerprint: string };

const exists = (p: string) => stat(p).then(() => true, () => false);

/**
 * The self-signed certificate of this host's transfer endpoint, made once. Nobody trusts it by a CA: the
 * panel relays it from this host's heartbeat into each migration job, and the source pins exactly it.
 */
export const ensureTransferCert = async (dataDir: string, hostId: string): Promise<TTransferCert> => {
  const keyFile = path.join(dataDir, 'transfer.key');
  const certFile = path.join(dataDir, 'transfer.crt');
  if (!(await exists(keyFile)) || !(await exists(certFile))) {
    await run('openssl', [
      'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '3650',
      '-subj', `/CN=berth-transfer-${hostId}`, '-keyout', keyFile, '-out', certFile,
    ]);
    await chmod(keyFile, 0o600);
  }
  const [keyPem, certPem] = await Promise.all([readFile(keyFile, 'utf8'), readFile(certFile, 'utf8')]);
  return { keyPem, certPem, fingerprint: new X509Certificate(certPem).fingerprint256 };
};
