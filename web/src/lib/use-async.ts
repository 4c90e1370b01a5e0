import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError, isAbort } from '../api/client.js';

export type AsyncState<T> =
  | { status: 'idle' }
  | { status: 'loading'; previous: T | null }
  | { status: 'ok'; value: T }
  | { status: 'error'; error: ApiError };

export function toApiError(err: unknown): ApiError {
  if (err instanceof ApiError) return err;
  return new ApiError(0, 'client', err instanceof Error ? err.message : String(err));
}

/**
 * Runs `load` whenever `deps` change (and when `reloadKey` does), aborting the previous call. Keeps the
 * previous value while loading, so a refresh does not blank the screen.
 */
export function useAsync<T>(
  load: ((signal: AbortSignal) => Promise<T>) | null,
  deps: unknown[],
): AsyncState<T> {
  const [state, setState] = useState<AsyncState<T>>({ status: 'idle' });
  const last = useRef<T | null>(null);
  // The caller lists what `load` depends on, as with useEffect.
  useEffect(() => {
    if (!load) {
      setState({ status: 'idle' });
      return;
    }
    const controller = new AbortController();
    setState({ status: 'loading', previous: last.current });
    load(controller.signal).then(
      (value) => {
        if (controller.signal.aborted) return;
        last.current = value;
        setState({ status: 'ok', value });
      },
      (err: unknown) => {
        if (controller.signal.aborted || isAbort(err)) return;
        setState({ status: 'error', error: toApiError(err) });
      },
    );
    return () => controller.abort();
  }, deps);
  return state;
}

/** The value to show: the result, or the previous one while a reload runs. */
export function currentValue<T>(s: AsyncState<T>): T | null {
  if (s.status === 'ok') return s.value;
  if (s.status === 'loading') return s.previous;
  return null;
}

/** Calls `fn` every `ms` while the tab is visible; `ms` null stops. */
export function useInterval(fn: () => void, ms: number | null): void {
  const saved = useRef(fn);
  saved.current = fn;
  useEffect(() => {
    if (ms === null) return;
    const id = setInterval(() => {
      if (document.visibilityState === 'visible') saved.current();
    }, ms);
    return () => clearInterval(id);
  }, [ms]);
}
