import { render } from 'preact';
import { prefetchSearch } from './api/client.js';
import { App } from './app.js';
import { firstSearch, readState } from './pages/discover/state.js';
import './styles/base.css';
import './styles/discover.css';
import './styles/dashboards.css';

// Opening Discover: ask for its rows now, while the page renders, rather than after.
if (location.pathname === '/discover' || location.pathname === '/') {
  const state = readState(new URLSearchParams(location.search));
  if (!state.live) prefetchSearch(firstSearch(state));
}

render(<App />, document.getElementById('app')!);
