import { NextResponse, type NextRequest } from 'next/server';
import { logOut } from '@berth/core';
import { panel } from '../../../../server/context.ts';
import { problemResponse } from '../../../../server/http.ts';
import { SESSION_COOKIE } from '../../../../server/with-auth.ts';

/** Ends the session server-side (the row goes), then clears the cookie. */
export const POST = async (req: NextRequest) => {
  try {
    await logOut({ db: panel().db, token: req.cookies.get(SESSION_COOKIE)?.value });
    const res = NextResponse.json({ ok: true });
    res.cookies.delete(SESSION_COOKIE);
    return res;
  } catch (err) {
    return problemResponse(err);
  }
};
