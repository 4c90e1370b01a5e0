import { useEffect, useRef, useState } from 'preact/hooks';
import { type ApiError, tail } from '../../api/client.js';
import type { Hit } from '../../api/types.js';

/** Rows kept on screen while tailing; older ones drop off the bottom. */
const MAX_ROWS = 5000;
const BACKLOG = 50;

export interface LiveTail {
  hits: Hit[];
  paused: boolean;
  setPaused: (p: boolean) => void;
  /** Events received while paused, shown on resume. */
  pending: number;
  received: number;
  skipped: boolean;
  fresh: Set<string>;
  error: ApiError | null;
  connected: boolean;
}

/** New events matching the query, newest first, streamed by the server (GET /api/v1/tail). */
export function useLiveTail(opts: { enabled: boolean; q: string; stream: string }): LiveTail {
  const [hits, setHits] = useState<Hit[]>([]);
  const [paused, setPausedState] = useState(false);
  const [pending, setPending] = useState(0);
  const [received, setReceived] = useState(0);
  const [skipped, setSkipped] = useState(false);
  const [fresh, setFresh] = useState<Set<string>>(new Set());
  const [error, setError] = useState<ApiError | null>(null);
  const [connected, setConnected] = useState(false);
  const buffer = useRef<Hit[]>([]);
  const pausedRef = useRef(false);

  const show = (incoming: Hit[]) => {
    if (incoming.length === 0) return;
    const newestFirst = [...incoming].reverse();
    setHits((old) => [...newestFirst, ...old].slice(0, MAX_ROWS));
    setFresh(new Set(incoming.map((h) => h._id)));
  };

  useEffect(() => {
    if (!opts.enabled) return;
    const controller = new AbortController();
    setHits([]);
    setReceived(0);
    setPending(0);
    setSkipped(false);
    setError(null);
    buffer.current = [];
    setConnected(true);
    let first = true;
    void tail(
      { q: opts.q, ...(opts.stream ? { stream: opts.stream } : {}), backlog: BACKLOG },
      {
        onHits(batch, wasSkipped) {
          if (wasSkipped) setSkipped(true);
          if (!first) setReceived((n) => n + batch.length);
          first = false;
          if (pausedRef.current) {
            buffer.current.push(...batch);
            setPending(buffer.current.length);
          } else show(batch);
        },
        onError(err) {
          setError(err);
        },
      },
      controller.signal,
    ).finally(() => {
      if (!controller.signal.aborted) setConnected(false);
    });
    return () => {
      controller.abort();
      setConnected(false);
    };
  }, [opts.enabled, opts.q, opts.stream]);

  const setPaused = (p: boolean) => {
    pausedRef.current = p;
    setPausedState(p);
    if (!p) {
      show(buffer.current);
      buffer.current = [];
      setPending(0);
    }
  };

  return { hits, paused, setPaused, pending, received, skipped, fresh, error, connected };
}
