import { useEffect, useRef, useState } from 'preact/hooks';

/**
 * Windowing for long lists of fixed-height rows: only the rows in view (plus `overscan`) are in the
 * DOM, so 10,000 rows scroll as smoothly as 50.
 */
export function useVirtualRows(opts: { count: number; rowHeight: number; overscan?: number }) {
  const ref = useRef<HTMLDivElement>(null);
  const [view, setView] = useState({ top: 0, height: 600 });
  const frame = useRef(0);
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const measure = () => setView({ top: el.scrollTop, height: el.clientHeight || 600 });
    const onScroll = () => {
      cancelAnimationFrame(frame.current);
      frame.current = requestAnimationFrame(measure);
    };
    measure();
    el.addEventListener('scroll', onScroll, { passive: true });
    const ro = new ResizeObserver(measure);
    ro.observe(el);
    return () => {
      el.removeEventListener('scroll', onScroll);
      ro.disconnect();
      cancelAnimationFrame(frame.current);
    };
  }, []);
  const overscan = opts.overscan ?? 10;
  const start = Math.max(0, Math.floor(view.top / opts.rowHeight) - overscan);
  const end = Math.min(opts.count, Math.ceil((view.top + view.height) / opts.rowHeight) + overscan);
  return {
    ref,
    start,
    end,
    padTop: start * opts.rowHeight,
    padBottom: Math.max(0, (opts.count - end) * opts.rowHeight),
    /** Rows left below the view: load more when it gets small. */
    remaining: opts.count - Math.ceil((view.top + view.height) / opts.rowHeight),
    scrollToRow(i: number) {
      const el = ref.current;
      if (!el) return;
      const top = i * opts.rowHeight;
      if (top < el.scrollTop) el.scrollTop = top;
      else if (top + opts.rowHeight > el.scrollTop + el.clientHeight)
        el.scrollTop = top + opts.rowHeight - el.clientHeight;
    },
  };
}
