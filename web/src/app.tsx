import type { ComponentType, JSX } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { Icon } from './components/icons.js';
import { Modal } from './components/popover.js';
import { Empty, Loading } from './components/states.js';
import { navigate, onLinkClick, useLocation } from './lib/router.js';
import { setTheme, useTheme } from './lib/theme.js';
import { DEFAULT_PAGE, PAGES, type PageDef, type PageProps } from './pages.js';

const loaded = new Map<string, ComponentType<PageProps>>();

function usePage(def: PageDef | undefined): ComponentType<PageProps> | null {
  const [, force] = useState(0);
  useEffect(() => {
    if (!def || loaded.has(def.id)) return;
    let live = true;
    def.load().then((c) => {
      loaded.set(def.id, c);
      if (live) force((n) => n + 1);
    });
    return () => {
      live = false;
    };
  }, [def]);
  return def ? (loaded.get(def.id) ?? null) : null;
}

const SHORTCUTS: [string, string][] = [
  ['/', 'Focus the search bar'],
  ['Enter', 'Run the query'],
  ['Shift + Enter', 'New line in the query'],
  ['Tab, ↑ ↓', 'Pick an autocomplete suggestion'],
  ['Esc', 'Close a menu, flyout or dialog'],
  ['j / k', 'Next / previous document in the document flyout'],
  ['?', 'This help'],
];

function isTyping(e: KeyboardEvent): boolean {
  const t = e.target as HTMLElement | null;
  return (
    !!t &&
    (t.tagName === 'INPUT' || t.tagName === 'TEXTAREA' || t.tagName === 'SELECT' || t.isContentEditable)
  );
}

export function App(): JSX.Element {
  const location = useLocation();
  const theme = useTheme();
  const [help, setHelp] = useState(false);
  const segment = location.path.split('/')[1] || '';
  const def = PAGES.find((p) => p.id === segment);
  const Page = usePage(def);

  useEffect(() => {
    if (segment === '')
      navigate(`/${DEFAULT_PAGE}${location.params.size > 0 ? `?${location.params}` : ''}`, { replace: true });
  }, [segment, location.params]);

  useEffect(() => {
    document.title = def ? `${def.title} · Cairn` : 'Cairn';
  }, [def]);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (isTyping(e) || e.metaKey || e.ctrlKey || e.altKey) return;
      if (e.key === '/') {
        const input = document.querySelector<HTMLTextAreaElement>('[data-search-input] textarea');
        if (input) {
          e.preventDefault();
          input.focus();
          input.setSelectionRange(input.value.length, input.value.length);
        }
      } else if (e.key === '?') setHelp(true);
    };
    document.addEventListener('keydown', onKey);
    document.addEventListener('click', onLinkClick);
    return () => {
      document.removeEventListener('keydown', onKey);
      document.removeEventListener('click', onLinkClick);
    };
  }, []);

  return (
    <div class="shell">
      <nav class="sidenav" aria-label="Main">
        <a href="/discover" class="brand" title="Cairn">
          <svg viewBox="0 0 32 32" width="26" height="26" aria-hidden="true">
            <rect width="32" height="32" rx="6" fill="var(--accent)" />
            <path d="M9 24h14l-2-4H11zM11.5 19h9l-1.7-4h-5.6zM14 14h4l-2-5z" fill="#fff" />
          </svg>
          <span>Cairn</span>
        </a>
        {PAGES.map((p) => (
          <a
            key={p.id}
            href={`/${p.id}`}
            class={`nav-item ${p.id === segment ? 'active' : ''}`}
            aria-current={p.id === segment ? 'page' : undefined}
          >
            <Icon name={p.icon} size={18} />
            <span>{p.title}</span>
          </a>
        ))}
        <div class="nav-spacer" />
        <button type="button" class="nav-item" onClick={() => setHelp(true)} title="Keyboard shortcuts (?)">
          <Icon name="keyboard" size={18} />
          <span>Shortcuts</span>
        </button>
        <button
          type="button"
          class="nav-item"
          data-testid="theme-toggle"
          onClick={() => setTheme(theme === 'dark' ? 'light' : 'dark')}
          title={`Switch to the ${theme === 'dark' ? 'light' : 'dark'} theme`}
        >
          <Icon name={theme === 'dark' ? 'sun' : 'moon'} size={18} />
          <span>{theme === 'dark' ? 'Light' : 'Dark'} theme</span>
        </button>
        <a class="nav-item" href="/docs" target="_blank" rel="noreferrer" title="HTTP API reference">
          <Icon name="external" size={18} />
          <span>API</span>
        </a>
      </nav>
      <main class="page">
        {!def && segment !== '' ? (
          <Empty title="Page not found">
            There is no page at {location.path}. <a href="/discover">Go to Discover</a>.
          </Empty>
        ) : Page ? (
          <Page location={location} />
        ) : (
          <Loading />
        )}
      </main>
      {help ? (
        <Modal title="Keyboard shortcuts" onClose={() => setHelp(false)}>
          <table class="shortcuts">
            <tbody>
              {SHORTCUTS.map(([k, d]) => (
                <tr key={k}>
                  <td class="shortcuts-cell">
                    <kbd>{k}</kbd>
                  </td>
                  <td class="shortcuts-cell">{d}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </Modal>
      ) : null}
    </div>
  );
}
