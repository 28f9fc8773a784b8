/**
 * Rollback helper: register an undo after each step that changed something; if the block does not reach
 * success(), the undos run in reverse order. Usage:
 *   const r = revert();
 *   try { await a(); r.add(() => undoA()); await b(); r.success(); } finally { await r.fail(); }
 */
export type TRevert = {
  add: (undo: () => unknown | Promise<unknown>) => void;
  success: () => void;
  fail: () => Promise<void>;
};

export const revert = (onUndoError: (err: unknown) => void = defaultUndoError): TRevert => {
  const undos: Array<() => unknown | Promise<unknown>> = [];
  let done = false;
  return {
    add: (undo) => {
      undos.push(undo);
    },
    success: () => {
      done = true;
    },
    fail: async () => {
      if (done) return;
      done = true; // a second fail() must not undo twice
      // Every undo runs even if an earlier one throws: a partial rollback is worse than a noisy one.
      for (const undo of undos.reverse()) {
        try {
          await undo();
        } catch (err) {
          onUndoError(err);
        }
      }
    },
  };
};

const defaultUndoError = (err: unknown) => console.error('revert: undo failed:', err);
