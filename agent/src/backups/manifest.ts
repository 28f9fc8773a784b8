import { z } from 'zod';

const ZSha = z.string().regex(/^[0-9a-f]{64}$/);

/** A backup's table of contents: every data chunk of the disk and where its compressed bytes are. */
export const ZBackupManifest = z.object({
  v: z.literal(1),
  serverId: z.string().regex(/^srv_[0-9a-z]{6,40}$/),
  backupId: z.string().regex(/^bkp_[0-9a-z]{6,40}$/),
  parentId: z.string().regex(/^bkp_[0-9a-z]{6,40}$/).nullable(),
  kind: z.enum(['full', 'incremental']),
  /** Bytes of the disk image. */
  size: z.number().int().positive(),
  chunkBytes: z.number().int().positive(),
  packBytes: z.number().int().min(0),
  packSha256: ZSha,
  /** [index, sha256 of the uncompressed chunk, backup whose pack holds it, offset there, compressed length]; holes and zero chunks absent. */
  chunks: z.array(z.tuple([z.number().int().min(0), ZSha, z.string().regex(/^bkp_[0-9a-z]{6,40}$/), z.number().int().min(0), z.number().int().positive()])),
  createdAt: z.string(),
});
export type TBackupManifest = z.infer<typeof ZBackupManifest>;
export type TManifestChunk = TBackupManifest['chunks'][number];

export const manifestKey = (serverId: string, backupId: string) => `${serverId}/${backupId}/manifest.json`;
export const packKey = (serverId: string, backupId: string) => `${serverId}/${backupId}/chunks.pack`;
