import { createHash } from 'node:crypto';
import helmet from '@fastify/helmet';
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
 * nosniff, no referrer, same-origin isolation.
 */
export async function registerSecurityHeaders(app: FastifyInstance): Promise<void> {
  const page = simulatorPage();
  await app.register(helmet, {
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
}
