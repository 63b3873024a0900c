// A tiny hash router: "#/fleet", "#/host/<id>", "#/settings". The hash keeps every view linkable.
import { useEffect, useState } from 'react';

export type Route =
  | { page: 'fleet' }
  | { page: 'host'; hostId: string }
  | { page: 'settings' }
  | { page: 'account' }
  | { page: 'users' };

export function parseRoute(hash: string): Route {
  const parts = hash
    .replace(/^#\/?/, '')
    .replace(/[?&].*$/, '')
    .split('/')
    .filter(Boolean)
    .map(decodeURIComponent);
  if (parts[0] === 'host' && parts[1]) return { page: 'host', hostId: parts[1] };
  if (parts[0] === 'settings') return { page: 'settings' };
  if (parts[0] === 'account') return { page: 'account' };
  if (parts[0] === 'users') return { page: 'users' };
  return { page: 'fleet' };
}

export function routeHref(route: Route): string {
  if (route.page === 'host') return `#/host/${encodeURIComponent(route.hostId)}`;
  return `#/${route.page}`;
}

export function useHashRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(window.location.hash));
  useEffect(() => {
    const onChange = () => setRoute(parseRoute(window.location.hash));
    window.addEventListener('hashchange', onChange);
    return () => window.removeEventListener('hashchange', onChange);
  }, []);
  return route;
}
