import { NextResponse } from 'next/server';
import { SESSION_COOKIE } from '../../../../server/with-auth.ts';

export const POST = async () => {
  const res = NextResponse.json({ ok: true });
  res.cookies.delete(SESSION_COOKIE);
  return res;
};
