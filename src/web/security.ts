import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import helmet, { type HelmetOptions } from 'helmet';
import type { FastifyInstance } from 'fastify';
import { simulatorPage } from '../channels/simulator/page.js';

/** `'sha256-...'` sources for every inline <script> and <style> block of a page. */
export function inlineHashes(html: string, tag: 'script' | 'style'): string[] {
  const re = new RegExp(`<${tag}>([\\s\\S]*?)</${tag}>`, 'g');
  return [...html.matchAll(re)].map(
    (m) => `'sha256-${createHash('sha256').update(m[1]!, 'utf8').digest('base64')}'`,
  );
}

/**
 * Security headers on every answer (pages, APIs, webhooks): a strict Content-Security-Policy
 * (own scripts and styles only, plus the simulator page's inline blocks by hash; no framing),
 * nosniff, no referrer, same-origin isolation. helmet decides the headers once, at start-up;
 * each answer gets the same set (rebuilding helmet per request, as its Fastify plugin does, cost
 * about 2% of a webhook turn's CPU).
 */
export async function registerSecurityHeaders(app: FastifyInstance): Promise<void> {
  const page = simulatorPage();
  const headers = securityHeaders({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'", ...inlineHashes(page, 'script')],
        styleSrc: ["'self'", ...inlineHashes(page, 'style')],
        imgSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        fontSrc: ["'self'"],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
      },
    },
    frameguard: { action: 'deny' },
    referrerPolicy: { policy: 'no-referrer' },
    // Plain HTTP on localhost must keep working; HSTS belongs to the TLS front end.
    strictTransportSecurity: false,
  });
  app.addHook('onRequest', (_request, reply, done) => {
    reply.headers(headers);
    done();
  });
}

/** The headers helmet sets with `options` (it sets the same ones on every response). */
function securityHeaders(options: HelmetOptions): Record<string, string> {
  const headers: Record<string, string> = {};
  const response = {
    setHeader(name: string, value: unknown) {
      headers[name.toLowerCase()] = String(value);
      return response;
    },
    removeHeader(name: string) {
      delete headers[name.toLowerCase()];
    },
  };
  let failed: unknown;
  helmet(options)(
    {} as IncomingMessage,
    response as unknown as ServerResponse,
    (error?: unknown) => (failed = error),
  );
  if (failed) throw failed instanceof Error ? failed : new Error('helmet refused its options');
  return headers;
}
