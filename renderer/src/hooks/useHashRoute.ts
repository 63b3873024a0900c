// A tiny hash router. Every view is linkable:
//   "#/fleet", "#/settings", "#/<rail page id>[/<more>/…][?key=value…]"  a page of the left rail
//   "#/host/<id>[/<tab>][?key=value…]"                                   a host, on one of its tabs
// Query parameters let a count link to the exact rows behind it (e.g. "#/fleet?state=problem").
import { useEffect, useState } from 'react';

export type RouteParams = Readonly<Record<string, string>>;

export type HostRoute = {
  page: 'host';
  hostId: string;
  /** The host tab's id; undefined opens the first tab (Overview). */
  tab?: string | undefined;
  params?: RouteParams;
};

/** A page of the left rail (see rail-pages.tsx): its id and whatever path and parameters follow. */
export type PageRoute = {
  page: 'page';
  id: string;
  path?: readonly string[];
  params?: RouteParams;
};

export type Route = HostRoute | PageRoute;

export const DEFAULT_PAGE = 'fleet';

export function parseRoute(hash: string): Route {
  const body = hash.replace(/^#\/?/, '');
  const queryAt = body.search(/[?&]/);
  const pathPart = queryAt === -1 ? body : body.slice(0, queryAt);
  const params: Record<string, string> = {};
  if (queryAt !== -1) {
    for (const [k, v] of new URLSearchParams(body.slice(queryAt + 1))) if (k !== 'token') params[k] = v;
  }
  const parts = pathPart.split('/').filter(Boolean).map(safeDecode);
  if (parts[0] === 'host' && parts[1]) return { page: 'host', hostId: parts[1], tab: parts[2], params };
  if (parts[0] && parts[0] !== 'host') return { page: 'page', id: parts[0], path: parts.slice(1), params };
  return { page: 'page', id: DEFAULT_PAGE, path: [], params };
}

function safeDecode(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    return part;
  }
}

function query(params: RouteParams | undefined): string {
  const entries = Object.entries(params ?? {}).filter(([, v]) => v !== '');
  return entries.length ? `?${new URLSearchParams(entries).toString()}` : '';
}

export function routeHref(route: Route): string {
  if (route.page === 'host') {
    const tab = route.tab ? `/${encodeURIComponent(route.tab)}` : '';
    return `#/host/${encodeURIComponent(route.hostId)}${tab}${query(route.params)}`;
  }
  const path = (route.path ?? []).map((p) => `/${encodeURIComponent(p)}`).join('');
  return `#/${encodeURIComponent(route.id)}${path}${query(route.params)}`;
}

/** "#/host/<id>/<tab>": a host on one of its tabs. */
export const hostHref = (hostId: string, tab?: string, params?: RouteParams): string =>
  routeHref({ page: 'host', hostId, tab, params });

/** "#/<id>?…": a page of the left rail, optionally with parameters selecting rows. */
export const pageHref = (id: string, params?: RouteParams, path?: readonly string[]): string =>
  routeHref({ page: 'page', id, path, params });

// Everyone showing the route hears of a change at once: navigate() tells them in the same event
// (a tab clicked is drawn before the click returns), and the browser's hashchange (Back, links)
// tells them again, harmlessly.
const listeners = new Set<() => void>();
const announce = (): void => {
  for (const listener of listeners) listener();
};

/** Goes to a route (a new history entry, so Back returns). */
export function navigate(href: string): void {
  if (window.location.hash === href) return;
  window.location.hash = href;
  announce();
}

export function useHashRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(window.location.hash));
  useEffect(() => {
    const onChange = () =>
      setRoute((current) => {
        const next = parseRoute(window.location.hash);
        return routeHref(next) === routeHref(current) ? current : next;
      });
    listeners.add(onChange);
    window.addEventListener('hashchange', onChange);
    // A change between the first render and this effect is not lost.
    onChange();
    return () => {
      listeners.delete(onChange);
      window.removeEventListener('hashchange', onChange);
    };
  }, []);
  return route;
}
