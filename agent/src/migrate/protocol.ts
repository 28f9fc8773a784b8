import { z } from 'zod';
import { ZServerSpec } from '@berth/contracts';

// Agent-to-agent wire format of a migration (source pushes, target receives). Chunk bodies are raw bytes.

const ZHashes = z.array(z.tuple([z.number().int().min(0), z.string().regex(/^[0-9a-f]{64}$/)])).max(10_000_000);

/** POST /v1/migrations/{sid}/begin: the target prepares (or resumes) its copy and says what it holds. */
export const ZBeginRequest = z.object({
  size: z.number().int().positive(),
  imageRef: z.string().min(1).max(64),
  chunkBytes: z.number().int().positive(),
});
export const ZBeginResponse = z.object({
  /** The VPS already exists on the target (an earlier attempt committed): only the source's cleanup is left. */
  committed: z.boolean(),
  hashes: ZHashes,
});

/** POST /v1/migrations/{sid}/commit: the source's final chunk list; the target checks it, installs and (maybe) starts. */
export const ZCommitRequest = z.object({
  spec: ZServerSpec,
  size: z.number().int().positive(),
  hashes: ZHashes,
  start: z.boolean(),
});
export const ZCommitResponse = z.object({ state: z.enum(['running', 'stopped']) });

export const ZStatusResponse = z.object({ state: z.enum(['running', 'stopped', 'absent']) });

/** Headers of PUT /v1/migrations/{sid}/chunks/{index}: the body's sha256 (an empty body with x-berth-zero makes a hole). */
export const HASH_HEADER = 'x-berth-sha256';
export const ZERO_HEADER = 'x-berth-zero';
