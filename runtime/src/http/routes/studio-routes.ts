import fastifyStatic from '@fastify/static';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { existsSync, statSync } from 'node:fs';
import { join, normalize, sep } from 'node:path';
import { studioDistDir, studioIsBuilt } from '../../studio/studio-files';
import { defineRouteModule } from '../route-module';

/** Paths the Studio's fallback never answers: the API (webhooks and OAuth live under /v1), docs, health. */
export const STUDIO_RESERVED_PREFIXES = ['/v1', '/docs', '/health', '/assets'] as const;

const reserved = (path: string): boolean =>
  STUDIO_RESERVED_PREFIXES.some((prefix) => path === prefix || path.startsWith(`${prefix}/`));

const safeDecode = (path: string): string => {
  try {
    return decodeURIComponent(path);
  } catch {
    return path;
  }
};

/** A browser navigation: GET/HEAD asking for HTML (fetch and API clients ask for JSON or anything). */
const isHtmlNavigation = (request: FastifyRequest): boolean =>
  (request.method === 'GET' || request.method === 'HEAD') &&
  (request.headers.accept ?? '').split(',').some((type) => type.trim().startsWith('text/html'));

/**
 * Serves the Studio (packages/studio/dist) at `/`: hashed files under /assets/ cached for a year
 * (immutable), index.html never cached, and index.html for any other HTML navigation (the Studio
 * routes in the browser). API paths, docs and health are never shadowed: they get the API's JSON 404.
 */
export const studioRoutes = defineRouteModule({
  name: 'studio',
  description: 'The Studio web app (HTML and static files; not part of the API)',
  prefix: '',
  dependencies: {},
  async register(app) {
    // Everything here is public and not part of the API's docs (the static plugin's routes too).
    app.addHook('onRoute', (route) => {
      route.config = { ...route.config, public: true };
      route.schema = { ...route.schema, hide: true };
    });
    const dist = studioDistDir();
    const built = studioIsBuilt(dist);
    if (built && dist) {
      await app.register(fastifyStatic, {
        root: join(dist, 'assets'),
        prefix: '/assets/',
        index: false,
        cacheControl: false,
        setHeaders: (response) => response.setHeader('cache-control', 'public, max-age=31536000, immutable'),
      });
    }

    const sendIndex = (reply: FastifyReply): FastifyReply => {
      reply.header('cache-control', 'no-cache');
      if (!built || !dist)
        return reply
          .status(503)
          .type('text/plain; charset=utf-8')
          .send('The Flowcard Studio is not built. Run "npm run build -w @flowcard/studio", then reload.');
      return reply.type('text/html; charset=utf-8').sendFile('index.html', dist);
    };

    const notFound = (reply: FastifyReply): FastifyReply => {
      reply.callNotFound();
      return reply;
    };

    const handler = async (request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> => {
      const path = safeDecode(request.url.split('?')[0] ?? '/');
      if (reserved(path)) return notFound(reply);
      // Files at the top of dist (favicon, robots.txt…), never outside it.
      if (built && dist && path !== '/' && path !== '/index.html') {
        const file = normalize(join(dist, path));
        if (file.startsWith(dist + sep) && existsSync(file) && statSync(file).isFile()) {
          reply.header('cache-control', 'public, max-age=3600');
          return reply.sendFile(path.slice(1), dist);
        }
      }
      if (path === '/' || path === '/index.html' || isHtmlNavigation(request)) return sendIndex(reply);
      return notFound(reply);
    };

    app.get('/', handler);
    app.get('/*', handler);
  },
});
