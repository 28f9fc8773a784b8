import type { TSshKey } from '@berth/contracts';
import type { SshKey } from '@berth/db';

export const toSshKeyDto = (k: SshKey): TSshKey => ({ id: k.id, name: k.name, publicKey: k.publicKey, fingerprint: k.fingerprint, createdAt: k.createdAt.toISOString() });
