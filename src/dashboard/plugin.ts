import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import cookie from '@fastify/cookie';
import csrf from '@fastify/csrf-protection';
import formbody from '@fastify/formbody';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Locale } from '../core/events.js';
import { ROOT, type Services } from '../services.js';
import { dashboardContext, type DashboardContext } from './context.js';
import { translator } from './i18n.js';
import { layout, type Frame, type Notice } from './layout.js';
import { html } from './html.js';
import { can, type Permission } from './roles.js';
import { loginRoutes, SESSION_COOKIE } from './pages/login.js';
import { overviewPage } from './pages/overview.js';
import { registrationPages } from './pages/registrations.js';
import { broadcastPages } from './pages/broadcasts.js';
import { questionPages } from './pages/questions.js';
import { accountPages } from './pages/accounts.js';
import { contentPages } from './pages/content.js';
import { coursePages } from './pages/courses.js';
import { reportPages } from './pages/report.js';

/** What a page module gets. */
export interface PageDeps {
  services: Services;
  context: DashboardContext;
  /** The frame of a signed-in request (language, actor, a fresh CSRF token). */
  frame(req: FastifyRequest, reply: FastifyReply): Frame;
  /** Answers 403 with a page unless the actor may; true when allowed. */
  allow(req: FastifyRequest, reply: FastifyReply, permission: Permission): boolean;
  /** Sends a full page. */
  page(
    reply: FastifyReply,
    frame: Frame,
    title: string,
    body: unknown,
    notices?: Notice[],
  ): FastifyReply;
}

const LANG_COOKIE = 'llw_admin_lang';
const ASSETS = path.join(ROOT, 'src', 'dashboard', 'assets');
const PUBLIC = ['/admin/login', '/admin/lang', '/admin/assets/'];

function localeOf(req: FastifyRequest): Locale {
  return req.cookies[LANG_COOKIE] === 'en' ? 'en' : 'vi';
}

async function cookieSecret(services: Services): Promise<string> {
  const key = 'dashboard:cookie-secret';
  const existing = await services.kv.get<string>(key);
  if (existing) return existing;
  const secret = randomBytes(32).toString('base64url');
  await services.kv.set(key, secret, services.clock.now());
  // Two processes starting at once: both read back the one that was written last.
  return (await services.kv.get<string>(key)) ?? secret;
}

/** Mounts the organiser dashboard under /admin (server-rendered pages, sessions, CSRF). */
export async function registerDashboard(app: FastifyInstance, services: Services): Promise<void> {
  const context = await dashboardContext(app, services);
  const secret = await cookieSecret(services);
  await app.register(async (scope) => {
    await scope.register(cookie, { secret });
    await scope.register(formbody, { bodyLimit: 64 * 1024 });
    await scope.register(csrf, {
      sessionPlugin: '@fastify/cookie',
      cookieKey: 'llw_admin_csrf',
      cookieOpts: { path: '/admin', httpOnly: true, sameSite: 'strict', signed: true },
      getToken: (req) => (req.body as Record<string, string> | undefined)?._csrf,
    });

    const frame = (req: FastifyRequest, reply: FastifyReply): Frame => ({
      t: translator(localeOf(req)),
      locale: localeOf(req),
      ...(req.adminActor ? { actor: req.adminActor } : {}),
      csrf: reply.generateCsrf(),
      path: req.url.split('?')[0] ?? '/admin',
    });
    const page: PageDeps['page'] = (reply, f, title, body, notices = []) =>
      reply.type('text/html; charset=utf-8').send(layout(f, title, body as never, notices));
    const deps: PageDeps = {
      services,
      context,
      frame,
      page,
      allow(req, reply, permission) {
        if (req.adminActor && can(req.adminActor.role, permission)) return true;
        const f = frame(req, reply);
        reply.code(403);
        page(reply, f, f.t('error.forbidden'), html`<p><a href="/admin">${f.t('back')}</a></p>`);
        return false;
      },
    };

    scope.addHook('onRequest', async (req, reply) => {
      if (!req.url.startsWith('/admin')) return undefined;
      reply.header('cache-control', 'no-store');
      if (PUBLIC.some((p) => req.url.startsWith(p))) return undefined;
      const id = req.cookies[SESSION_COOKIE];
      const unsigned = id ? req.unsignCookie(id) : undefined;
      const session =
        unsigned?.valid && unsigned.value
          ? await context.accounts.session(unsigned.value)
          : undefined;
      if (session && 'actor' in session) {
        req.adminActor = session.actor;
        return undefined;
      }
      const expired = session !== undefined && 'expired' in session && session.expired;
      const next = encodeURIComponent(req.method === 'GET' ? req.url : '/admin');
      return reply.redirect(`/admin/login?next=${next}${expired || id ? '&expired=1' : ''}`, 303);
    });
    // Every state change needs the form's CSRF token (the login form too).
    scope.addHook('preHandler', (req, reply, done) => {
      if (req.method === 'POST' && req.url.startsWith('/admin'))
        scope.csrfProtection(req, reply, done);
      else done();
    });

    scope.setErrorHandler((error: FastifyError, req, reply) => {
      const f = frame(req, reply);
      if (error.code?.startsWith('FST_CSRF')) {
        const back = req.url.replace(
          /\/(send|approve|cancel|retry|answer|variant|attendance|dismiss|revoke)$/,
          '',
        );
        reply.code(403);
        return page(reply, f, f.t('error.csrf'), html`<p><a href="${back}">${f.t('back')}</a></p>`);
      }
      const status = error.statusCode ?? 500;
      if (status >= 500) req.log.error({ err: error }, 'dashboard request failed');
      reply.code(status >= 500 ? 500 : status);
      return page(
        reply,
        f,
        status >= 500 ? f.t('error.server') : error.message,
        html`<p><a href="/admin">${f.t('back')}</a></p>`,
      );
    });

    scope.get('/admin/lang', async (req, reply) => {
      const q = req.query as { to?: string; back?: string };
      const back =
        typeof q.back === 'string' && /^\/admin[\w/?=&%.-]*$/.test(q.back) ? q.back : '/admin';
      reply.setCookie(LANG_COOKIE, q.to === 'en' ? 'en' : 'vi', {
        path: '/admin',
        sameSite: 'lax',
        httpOnly: true,
        maxAge: 365 * 24 * 3600,
      });
      return reply.redirect(back, 303);
    });

    const assets = new Map<string, { type: string; body: string }>();
    for (const [name, type] of [
      ['admin.css', 'text/css; charset=utf-8'],
      ['admin.js', 'text/javascript; charset=utf-8'],
    ] as const)
      assets.set(name, { type, body: fs.readFileSync(path.join(ASSETS, name), 'utf8') });
    scope.get<{ Params: { name: string } }>('/admin/assets/:name', async (req, reply) => {
      const asset = assets.get(req.params.name);
      if (!asset) return reply.code(404).send({ error: 'Not Found', message: 'No such asset.' });
      return reply
        .header('cache-control', 'public, max-age=3600')
        .type(asset.type)
        .send(asset.body);
    });

    loginRoutes(scope, deps);
    overviewPage(scope, deps);
    registrationPages(scope, deps);
    broadcastPages(scope, deps);
    questionPages(scope, deps);
    accountPages(scope, deps);
    contentPages(scope, deps);
    coursePages(scope, deps);
    reportPages(scope, deps);
  });
}
