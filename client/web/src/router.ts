import { useEffect, useState } from 'preact/hooks';

export type View = 'log' | 'tasks' | 'decisions' | 'reports' | 'regulatory' | 'members' | 'audit' | 'timeline' | 'animation';
export type Route =
  | { page: 'list' }
  | { page: 'room'; incidentId: string; view: View }
  | { page: 'management'; incidentId: string }
  | { page: 'account' }
  | { page: 'admin' }
  /** /setup#token=…: the first administrator's one-time link. */
  | { page: 'setup'; token: string | null }
  /** /invite#token=…: an invitation link. */
  | { page: 'invite'; token: string | null }
  /** #/incident/<not an id>: a damaged or truncated link, said so rather than shown as the list. */
  | { page: 'badLink'; text: string };

const ID = /^[0-9a-z]{8,40}$/;
const VIEWS: readonly View[] = ['log', 'tasks', 'decisions', 'reports', 'regulatory', 'members', 'audit', 'timeline', 'animation'];

/** The secret of a set-up or invitation link: after `#`, so it never reaches a server log or a Referer. */
function linkToken(hash: string): string | null {
  const match = /(?:^#|&)token=([A-Za-z0-9_-]{20,100})(?:&|$)/.exec(hash);
  return match ? match[1]! : null;
}

/**
 * Hash routes, so that every page is the same document (the offline shell serves them all);
 * the two link pages (/setup, /invite) are paths, as the server prints them.
 */
export function parseRoute(pathname: string, hash: string): Route {
  if (pathname === '/setup') return { page: 'setup', token: linkToken(hash) };
  if (pathname === '/invite') return { page: 'invite', token: linkToken(hash) };
  const parts = hash.replace(/^#\/?/, '').split('/').filter(Boolean);
  if (parts[0] === 'account') return { page: 'account' };
  if (parts[0] === 'admin') return { page: 'admin' };
  if (parts[0] === 'incident' && parts[1] && ID.test(parts[1])) {
    const id = parts[1];
    if (parts[2] === 'management') return { page: 'management', incidentId: id };
    const view = VIEWS.find((v) => v === parts[2]) ?? 'log';
    return { page: 'room', incidentId: id, view };
  }
  if (parts[0] === 'incident') return { page: 'badLink', text: safeDecode(parts[1] ?? '').slice(0, 80) };
  return { page: 'list' };
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

export function href(route: Route): string {
  switch (route.page) {
    case 'list':
      return '#/';
    case 'account':
      return '#/account';
    case 'admin':
      return '#/admin';
    case 'management':
      return `#/incident/${route.incidentId}/management`;
    case 'room':
      return `#/incident/${route.incidentId}/${route.view}`;
    case 'setup':
      return '/setup';
    case 'invite':
      return '/invite';
    case 'badLink':
      return `#/incident/${encodeURIComponent(route.text)}`;
  }
}

export function navigate(route: Route): void {
  const target = href(route);
  if (location.hash !== target) location.hash = target;
}

/** Leaves a link page for the app itself, dropping the one-time secret from the address and history. */
export function leaveLinkPage(): void {
  location.replace('/#/');
}

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(location.pathname, location.hash));
  useEffect(() => {
    const on = () => setRoute(parseRoute(location.pathname, location.hash));
    window.addEventListener('hashchange', on);
    return () => window.removeEventListener('hashchange', on);
  }, []);
  return route;
}
