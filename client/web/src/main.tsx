import { render } from 'preact';
import '../styles.css';
import { App } from './components/app/App';
import { watchNetwork } from './connection';

watchNetwork();

// The app shell for offline reloads (the documents themselves are in IndexedDB). Browsers offer
// service workers on HTTPS and on localhost only.
if ('serviceWorker' in navigator) {
  navigator.serviceWorker.register('/sw.js').catch(() => undefined);
}

const root = document.getElementById('app');
if (root) {
  root.textContent = '';
  render(<App />, root);
}
