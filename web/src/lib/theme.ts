import { useEffect, useState } from 'preact/hooks';

export type Theme = 'dark' | 'light';

const KEY = 'cairn.theme';
const listeners = new Set<(t: Theme) => void>();

export function currentTheme(): Theme {
  return document.documentElement.dataset['theme'] === 'light' ? 'light' : 'dark';
}

export function setTheme(t: Theme): void {
  document.documentElement.dataset['theme'] = t;
  try {
    localStorage.setItem(KEY, t);
  } catch {
    // private mode: the choice lasts for this page only
  }
  for (const l of listeners) l(t);
}

/** The theme, re-rendering when it changes (charts read their colours from it). */
export function useTheme(): Theme {
  const [theme, set] = useState(currentTheme);
  useEffect(() => {
    listeners.add(set);
    return () => {
      listeners.delete(set);
    };
  }, []);
  return theme;
}

/** A CSS custom property of the current theme (`--fg`), for canvas drawing. */
export function cssVar(name: string): string {
  return getComputedStyle(document.documentElement).getPropertyValue(name).trim();
}
