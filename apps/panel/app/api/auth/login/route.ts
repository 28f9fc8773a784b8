import { NextResponse } from 'next/server';
import { z } from 'zod';
import { logIn, SESSION_TTL_S } from '@berth/core';
import { panel } from '../../../../server/context.ts';
import { requestIp } from '../../../../server/client-ip.ts';
import { loginLimited } from '../../../../server/login-limit.ts';
import { problemResponse, readJson } from '../../../../server/http.ts';
import { SESSION_COOKIE } from '../../../../server/with-auth.ts';

const noNul = (s: string) => !s.includes('\u0000'); // Postgres text cannot hold NUL
const ZLogin = z.object({
  email: z.string().min(3).max(320).refine(noNul, 'must not contain NUL'),
  password: z.string().min(1).max(1024).refine(noNul, 'must not contain NUL'),
  totp: z.string().trim().max(10).optional(),
  recoveryCode: z.string().trim().max(40).optional(),
});

export const POST = async (req: Request) => {
  try {
    const { db, env } = panel();
    const ip = requestIp(req.headers);
    const { email, password, totp, recoveryCode } = ZLogin.parse(await readJson(req));
    await loginLimited(ip, email);
    const { token } = await logIn({
      db, email, password, totp: totp || undefined, recoveryCode: recoveryCode || undefined, sessionSecret: env.SESSION_SECRET,
      request: { ip, userAgent: req.headers.get('user-agent') },
    });
    const res = NextResponse.json({ ok: true });
    res.cookies.set(SESSION_COOKIE, token, { httpOnly: true, sameSite: 'lax', secure: env.COOKIE_SECURE, path: '/', maxAge: SESSION_TTL_S });
    return res;
  } catch (err) {
    return problemResponse(err);
  }
};
