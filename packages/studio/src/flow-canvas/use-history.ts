import { useCallback, useState } from 'react';

interface History<T> {
  readonly past: T[];
  readonly present: T;
  readonly future: T[];
  /** Consecutive changes with the same key (typing in one field) are one undo step. */
  readonly lastKey?: string;
}

export interface UndoableState<T> {
  readonly present: T;
  readonly canUndo: boolean;
  readonly canRedo: boolean;
  set(next: T | ((current: T) => T), coalesceKey?: string): void;
  undo(): void;
  redo(): void;
  reset(value: T): void;
}

const LIMIT = 200;

/** Undo/redo over immutable values: every change is one entry unless it continues the last keyed change. */
export function useUndoable<T>(initial: T): UndoableState<T> {
  const [history, setHistory] = useState<History<T>>({ past: [], present: initial, future: [] });
  const set = useCallback((next: T | ((current: T) => T), coalesceKey?: string) => {
    setHistory((current) => {
      const value = typeof next === 'function' ? (next as (c: T) => T)(current.present) : next;
      if (Object.is(value, current.present)) return current;
      if (coalesceKey !== undefined && coalesceKey === current.lastKey)
        return { ...current, present: value, future: [] };
      return {
        past: [...current.past, current.present].slice(-LIMIT),
        present: value,
        future: [],
        lastKey: coalesceKey,
      };
    });
  }, []);
  const undo = useCallback(() => {
    setHistory((current) => {
      const previous = current.past[current.past.length - 1];
      if (previous === undefined) return current;
      return {
        past: current.past.slice(0, -1),
        present: previous,
        future: [current.present, ...current.future],
      };
    });
  }, []);
  const redo = useCallback(() => {
    setHistory((current) => {
      const [next, ...rest] = current.future;
      if (next === undefined) return current;
      return { past: [...current.past, current.present], present: next, future: rest };
    });
  }, []);
  const reset = useCallback((value: T) => setHistory({ past: [], present: value, future: [] }), []);
  return {
    present: history.present,
    canUndo: history.past.length > 0,
    canRedo: history.future.length > 0,
    set,
    undo,
    redo,
    reset,
  };
}
