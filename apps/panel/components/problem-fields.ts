import type { TProblem } from '@berth/contracts';
import { problemMessage } from './api-client.ts';

export type TFieldMessages = Record<string, string[]>;

const capitalise = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/**
 * Spread a 422 problem's errors[] over a form's fields by the first segment of each path; `alias` maps an
 * API field to the form field that shows it (e.g. priceCentsMonthly -> price). The rest come back apart,
 * with the problem's own message when nothing could be placed.
 */
export const problemFields = (problem: TProblem, fields: readonly string[], alias: Record<string, string> = {}) => {
  const placed: TFieldMessages = {};
  const other: string[] = [];
  for (const e of problem.errors ?? []) {
    const head = e.path.split('.')[0] ?? '';
    const field = alias[head] ?? head;
    if (fields.includes(field)) (placed[field] ??= []).push(`${capitalise(e.message)}.`);
    else other.push(e.path ? `${e.path}: ${e.message}` : e.message);
  }
  if (!Object.keys(placed).length && !other.length) other.push(problemMessage(problem));
  return { fields: placed, other };
};
