import { NextResponse } from 'next/server';
import { AppError, toProblem } from '@berth/core';

export const json = (body: unknown, status = 200) => NextResponse.json(body, { status });

/** Every error leaves as problem+json with a stable code. */
export const problemResponse = (err: unknown) => {
  const p = toProblem(err);
  return new NextResponse(JSON.stringify(p), { status: p.status, headers: { 'content-type': 'application/problem+json' } });
};

/** The JSON body, or a 415/400 problem instead of a 500 for a wrong type or broken JSON. */
/** No request of the API needs more (the largest is a host's SSH private key); a bigger body is refused unread. */
export const MAX_BODY_BYTES = 1024 * 1024;
const tooLarge = () => new AppError('payload_too_large', `The body is larger than ${MAX_BODY_BYTES / 1024} KiB.`);

/** The body as text, stopping at MAX_BODY_BYTES whatever Content-Length claims (it may be absent or false). */
const readCapped = async (req: Request): Promise<string> => {
  if (Number(req.headers.get('content-length') ?? 0) > MAX_BODY_BYTES) throw tooLarge();
  const reader = req.body?.getReader();
  if (!reader) return '';
  const parts: Uint8Array[] = [];
  let n = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    n += value.byteLength;
    if (n > MAX_BODY_BYTES) {
      await reader.cancel();
      throw tooLarge();
    }
    parts.push(value);
  }
  return Buffer.concat(parts).toString('utf8');
};

export const readJson = async (req: Request): Promise<unknown> => {
  const type = req.headers.get('content-type') ?? '';
  if (!type.toLowerCase().startsWith('application/json')) {
    throw new AppError('unsupported_media_type', 'Send the body as application/json.');
  }
  const text = await readCapped(req);
  try {
    return JSON.parse(text);
  } catch {
    throw new AppError('bad_request', 'The body is not valid JSON.');
  }
};
