// Browser-side calls to /api: same-origin cookie auth, so every call carries the CSRF header.
import type { TProblem } from '@berth/contracts';

export type TApiResult<T> = { ok: true; status: number; data: T } | { ok: false; status: number; problem: TProblem };

const localProblem = (status: number, detail: string): TProblem => ({
  type: 'about:blank', title: 'Request failed', status, code: status === 0 ? 'bad_request' : 'internal_error', detail,
});

const isProblem = (v: unknown): v is TProblem =>
  typeof v === 'object' && v !== null && typeof (v as TProblem).code === 'string' && typeof (v as TProblem).status === 'number';

export const callApi = async <T>(path: string, init: { method?: string; body?: unknown } = {}): Promise<TApiResult<T>> => {
  const headers: Record<string, string> = { accept: 'application/json', 'x-berth-csrf': '1' };
  if (init.body !== undefined) headers['content-type'] = 'application/json';
  let res: Response;
  try {
    res = await fetch(path, {
      method: init.method ?? 'GET', headers, credentials: 'same-origin',
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
    });
  } catch {
    return { ok: false, status: 0, problem: localProblem(0, 'Could not reach the panel. Check your connection and try again.') };
  }
  const body: unknown = await res.json().catch(() => null);
  if (res.ok) return { ok: true, status: res.status, data: body as T };
  if (isProblem(body)) return { ok: false, status: res.status, problem: body };
  return { ok: false, status: res.status, problem: localProblem(res.status, `The panel answered ${res.status} ${res.statusText}.`) };
};

/** One sentence a person can act on, for problems that are not tied to a form field. */
export const problemMessage = (p: TProblem): string => {
  switch (p.code) {
    case 'operation_in_progress':
      return 'Another operation is still in progress on this server. Try again when it has finished.';
    case 'unauthorized':
      return p.detail ?? 'Please sign in again.';
    case 'forbidden':
      return p.detail ?? 'You are not allowed to do that.';
    case 'no_capacity':
      return 'No host has room for this plan right now. Try a smaller plan or try again later.';
    case 'no_ip_available':
      return 'No IPv4 address is free right now. Try again later.';
    case 'internal_error':
      return p.detail ?? 'Something went wrong on our side.';
    default:
      return p.detail ?? p.title;
  }
};
