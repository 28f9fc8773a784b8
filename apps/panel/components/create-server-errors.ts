import type { TProblem } from '@berth/contracts';

export type TField = 'hostname' | 'planId' | 'templateId' | 'sshKeys' | 'rootPassword';
export type TFieldErrors = Partial<Record<TField, string[]>>;

const FIELDS: readonly string[] = ['hostname', 'planId', 'templateId', 'sshKeys', 'rootPassword'];

// Zod's messages for id fields speak in prefixes; a person picked from a list.
const FRIENDLY: Partial<Record<TField, string>> = { planId: 'Choose a plan.', templateId: 'Choose a template.' };

/**
 * Spread a 422 problem's errors[] over the form fields. `keyLines[i]` is the textarea line of the i-th
 * key sent, so `sshKeys.2` can name the line the person typed it on. Unplaced errors are returned apart.
 */
export const mapFieldErrors = (problem: TProblem, keyLines: number[]): { fields: TFieldErrors; other: string[] } => {
  const fields: TFieldErrors = {};
  const other: string[] = [];
  for (const e of problem.errors ?? []) {
    const [rawHead, rawIndex] = e.path.split('.');
    // Saved keys are ticked beside the textarea: their errors show there, without a line number.
    const head = rawHead === 'sshKeyIds' ? 'sshKeys' : rawHead;
    const index = rawHead === 'sshKeyIds' ? undefined : rawIndex;
    if (!head || !FIELDS.includes(head)) {
      other.push(e.message);
      continue;
    }
    const field = head as TField;
    const line = index !== undefined ? keyLines[Number(index)] : undefined;
    const message = line !== undefined ? `Line ${line}: ${e.message}.` : (FRIENDLY[field] ?? `${capitalise(e.message)}.`);
    (fields[field] ??= []).push(message);
  }
  return { fields, other };
};

const capitalise = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
