import type { RouteOptions } from 'fastify';

/** One route as registered: method and Fastify path (`/api/v1/broadcasts/:id`). */
export interface RegisteredRoute {
  method: string;
  url: string;
}

/** Collects every `/api/v1` route an app registers (pass `hook` as startTestApp's onRoute). */
export function apiRouteCollector(): {
  hook: (route: RouteOptions) => void;
  routes: RegisteredRoute[];
} {
  const routes: RegisteredRoute[] = [];
  const hook = (route: RouteOptions) => {
    if (!route.url.startsWith('/api/v1/')) return;
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    // Fastify adds a HEAD twin to every GET; it is the GET, not a route of its own.
    for (const method of methods) if (method !== 'HEAD') routes.push({ method, url: route.url });
  };
  return { hook, routes };
}

/** The OpenAPI form of a Fastify path: `/broadcasts/:id` -> `/broadcasts/{id}`. */
export function openApiPath(url: string): string {
  return url.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
}
