import { useEffect, useState } from 'preact/hooks';

export type View = 'log' | 'tasks' | 'decisions';
export type Route =
  | { page: 'list' }
  | { page: 'room'; incidentId: string; view: View }
  | { page: 'management'; incidentId: string };

const ID = /^[0-9a-z]{8,40}$/;

/** Hash routes, so that every page is the same document (the offline shell serves them all). */
export function parseRoute(hash: string): Route {
  const parts = hash.replace(/^#\/?/, '').split('/').filter(Boolean);
  if (parts[0] === 'incident' && parts[1] && ID.test(parts[1])) {
    const id = parts[1];
    if (parts[2] === 'management') return { page: 'management', incidentId: id };
    const view = parts[2] === 'tasks' || parts[2] === 'decisions' ? parts[2] : 'log';
    return { page: 'room', incidentId: id, view };
  }
  return { page: 'list' };
}

export function href(route: Route): string {
  if (route.page === 'list') return '#/';
  if (route.page === 'management') return `#/incident/${route.incidentId}/management`;
  return `#/incident/${route.incidentId}/${route.view}`;
}

export function navigate(route: Route): void {
  const target = href(route);
  if (location.hash !== target) location.hash = target;
}

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(location.hash));
  useEffect(() => {
    const on = () => setRoute(parseRoute(location.hash));
    window.addEventListener('hashchange', on);
    return () => window.removeEventListener('hashchange', on);
  }, []);
  return route;
}
