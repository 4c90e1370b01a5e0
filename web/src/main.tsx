import { render } from 'preact';
import { App } from './app.js';
import './styles/base.css';
import './styles/discover.css';
import './styles/dashboards.css';

render(<App />, document.getElementById('app')!);
