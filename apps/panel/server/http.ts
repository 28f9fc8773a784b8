import { NextResponse } from 'next/server';
import { AppError, toProblem } from '@berth/core';

export const json = (body: unknown, status = 200) => NextResponse.json(body, { status });

/** Every error leaves as problem+json with a stable code. */
export const problemResponse = (err: unknown) => {
  const p = toProblem(err);
  return new NextResponse(JSON.stringify(p), { status: p.status, headers: { 'content-type': 'application/problem+json' } });
};

/** The JSON body, or a 415/400 problem instead of a 500 for a wrong type or broken JSON. */
export const readJson = async (req: Request): Promise<unknown> => {
  const type = req.headers.get('content-type') ?? '';
  if (!type.toLowerCase().startsWith('application/json')) {
    throw new AppError('unsupported_media_type', 'Send the body as application/json.');
  }
  try {
    return await req.json();
  } catch {
    throw new AppError('bad_request', 'The body is not valid JSON.');
  }
};
