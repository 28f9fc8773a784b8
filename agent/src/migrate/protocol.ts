import { z } from 'zod';
import { ZServerSpec } from '@berth/contracts';

// Agent-to-agent wire format of a migration (source pushes, target receives). Chunk bodies are raw bytes.

const ZHashes = z.array(z.tuple([z.number().int().min(0), z.string().regex(/^[0-9a-f]{64}$/)])).max(10_000_000);

/** POST /v1/migrations/{sid}/begin: the target prepares (or resumes) its copy and says what it holds. */
export const ZBeginRequest = z.object({
  /** The VPS's spec on the target, as the panel signed it (its disk size bounds what may be written). */
  spec: ZServerSpec,
  size: z.number().int().positive(),
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

/** `state` of the VPS on the target; `committed`: it is there because this migration (the token's operation) put it there. */
export const ZStatusResponse = z.object({ state: z.enum(['running', 'stopped', 'absent']), committed: z.boolean() });

/** Headers of PUT /v1/migrations/{sid}/chunks/{index}: the body's sha256 (an empty body with x-berth-zero makes a hole). */
export const HASH_HEADER = 'x-berth-sha256';
export const ZERO_HEADER = 'x-berth-zero';
