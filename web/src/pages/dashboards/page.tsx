import type { JSX } from 'preact';
import type { PageProps } from '../../pages.js';
import { DashboardList } from './list.js';
import { DashboardView } from './view.js';

/** `/dashboards` lists them, `/dashboards/:id` shows one. */
export function DashboardsPage(props: PageProps): JSX.Element {
  const id = props.location.path.split('/')[2];
  return id ? (
    <DashboardView key={id} id={decodeURIComponent(id)} location={props.location} />
  ) : (
    <DashboardList />
  );
}
