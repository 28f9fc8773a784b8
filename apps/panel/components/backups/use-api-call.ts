'use client';
import { useState } from 'react';
import { useRouter } from 'next/navigation';
import type { TProblem } from '@berth/contracts';
import { callApi, problemMessage, type TApiResult } from '../api-client.ts';

type TInit = { method: string; body?: unknown };

/**
 * One API call at a time from a component: which one is in flight, the problem it answered, and a page
 * refresh afterwards (the operation it queued shows as the latest; live updates follow it from there).
 */
export const useApiCall = () => {
  const router = useRouter();
  const [busy, setBusy] = useState<string | null>(null);
  const [problem, setProblem] = useState<TProblem | null>(null);

  const run = async <T>(name: string, path: string, init: TInit): Promise<TApiResult<T> | null> => {
    setBusy(name);
    setProblem(null);
    const res = await callApi<T>(path, init);
    setBusy(null);
    if (!res.ok && res.status === 401) {
      router.replace('/login');
      return null;
    }
    if (!res.ok) setProblem(res.problem);
    router.refresh();
    return res;
  };

  return { busy, problem, message: problem ? problemMessage(problem) : null, run, clear: () => setProblem(null), router };
};
