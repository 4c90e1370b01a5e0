import type { ComponentType } from 'preact';
import type { IconName } from './components/icons.js';
import type { Location } from './lib/router.js';
// Discover is where most visits start: bundled with the shell, the other pages load on first use.
import { DiscoverPage } from './pages/discover/page.js';

export interface PageProps {
  location: Location;
}

export interface PageDef {
  /** First path segment; must be listed in UI_PAGES (src/server/routes/ui-routes.ts) for deep links. */
  id: string;
  title: string;
  icon: IconName;
  load: () => Promise<ComponentType<PageProps>>;
}

/**
 * Every page of the UI, in navigation order. A later page (alerts, settings) is one more entry here
 * and one more name in UI_PAGES on the server.
 */
export const PAGES: readonly PageDef[] = [
  {
    id: 'discover',
    title: 'Discover',
    icon: 'discover',
    load: () => Promise.resolve(DiscoverPage),
  },
  {
    id: 'dashboards',
    title: 'Dashboards',
    icon: 'dashboard',
    load: () => import('./pages/dashboards/page.js').then((m) => m.DashboardsPage),
  },
  {
    id: 'streams',
    title: 'Streams',
    icon: 'streams',
    load: () => import('./pages/streams/page.js').then((m) => m.StreamsPage),
  },
  {
    id: 'pipelines',
    title: 'Pipelines',
    icon: 'pipeline',
    load: () => import('./pages/pipelines/page.js').then((m) => m.PipelinesPage),
  },
];

export const DEFAULT_PAGE = 'discover';
