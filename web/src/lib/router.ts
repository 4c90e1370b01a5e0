import { useEffect, useState } from 'preact/hooks';

type Listener = () => void;
const listeners = new Set<Listener>();

function notify(): void {
  for (const l of listeners) l();
}

if (typeof window !== 'undefined') window.addEventListener('popstate', notify);

/** Changes the URL without a page load. `replace` keeps the history entry (typing, small changes). */
export function navigate(url: string, opts: { replace?: boolean } = {}): void {
  const current = location.pathname + location.search;
  if (url === current) return;
  if (opts.replace) history.replaceState(null, '', url);
  else history.pushState(null, '', url);
  notify();
}

export interface Location {
  path: string;
  params: URLSearchParams;
}

function read(): Location {
  return { path: location.pathname, params: new URLSearchParams(location.search) };
}

/** The current path and query parameters; re-renders on navigation and back/forward. */
export function useLocation(): Location {
  const [loc, setLoc] = useState(read);
  useEffect(() => {
    const l = () => setLoc(read());
    listeners.add(l);
    return () => {
      listeners.delete(l);
    };
  }, []);
  return loc;
}

/** Intercepts clicks on same-origin links so they navigate in place (ctrl/cmd-click still opens a tab). */
export function onLinkClick(e: MouseEvent): void {
  if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
  const a = (e.target as Element | null)?.closest('a');
  if (!a || a.target || a.hasAttribute('download') || a.origin !== location.origin) return;
  if (a.pathname.startsWith('/api/') || a.pathname.startsWith('/docs')) return;
  e.preventDefault();
  navigate(a.pathname + a.search);
}

/** Builds `path?k=v` leaving out empty values. */
export function href(path: string, params: Record<string, string | number | null | undefined>): string {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(params))
    if (v !== undefined && v !== null && v !== '') p.set(k, String(v));
  const s = p.toString();
  return s ? `${path}?${s}` : path;
}
