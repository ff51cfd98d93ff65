import type { FastifyInstance } from 'fastify';
import { html } from '../html.js';
import { csrfField, type Notice } from '../layout.js';
import type { PageDeps } from '../plugin.js';

/** The session cookie's name (its value is signed; the table keeps only its hash). */
export const SESSION_COOKIE = 'llw_admin_session';

function safeNext(next: unknown): string {
  return typeof next === 'string' && /^\/admin(?:[/?][\w/?=&%.-]*)?$/.test(next) ? next : '/admin';
}

/** Sign-in (a token typed into the form field `token`) and sign-out. */
export function loginRoutes(scope: FastifyInstance, deps: PageDeps): void {
  const { context, services } = deps;
  const form = (
    req: Parameters<PageDeps['frame']>[0],
    reply: Parameters<PageDeps['frame']>[1],
    notices: Notice[],
    error?: string,
  ) => {
    const f = deps.frame(req, reply);
    const q = req.query as { next?: string };
    const next = safeNext((req.body as { next?: string } | undefined)?.next ?? q.next);
    return deps.page(
      reply,
      f,
      f.t('login.title'),
      html`<form method="post" action="/admin/login" class="card narrow">
        ${csrfField(f)}<input type="hidden" name="next" value="${next}" />
        <label for="token">${f.t('login.token')}</label>
        <input
          id="token"
          name="token"
          type="password"
          autocomplete="current-password"
          required${error ? html` aria-invalid="true" aria-describedby="err-token"` : ''}
        />
        ${error ? html`<span class="field-error" id="err-token">${error}</span>` : ''}
        <button type="submit" class="primary">${f.t('login.submit')}</button>
      </form>`,
      notices,
    );
  };

  scope.get('/admin/login', async (req, reply) => {
    const q = req.query as { expired?: string; out?: string };
    const t = deps.frame(req, reply).t;
    const notices: Notice[] = [];
    if (q.expired) notices.push({ kind: 'error', text: t('login.expired') });
    if (q.out) notices.push({ kind: 'ok', text: t('login.signedOut') });
    if (await context.accounts.firstSignInPending())
      notices.push({ kind: 'ok', text: t('login.firstStart') });
    return form(req, reply, notices);
  });

  scope.post('/admin/login', async (req, reply) => {
    const t = deps.frame(req, reply).t;
    const raw = (req.body as { token?: unknown } | undefined)?.token;
    const token = typeof raw === 'string' ? raw.trim() : '';
    if (await context.failures(req, false)) {
      reply.code(429).header('retry-after', '60');
      return form(req, reply, [], t('login.tooMany'));
    }
    if (!token) {
      reply.code(400);
      return form(req, reply, [], t('login.empty'));
    }
    const actor = await context.accounts.verify(token, { firstSignIn: true });
    if (!actor) {
      await context.failures(req, true);
      reply.code(401);
      return form(req, reply, [], t('login.wrong'));
    }
    const ttlMs = services.config.dashboard.sessionMinutes * 60_000;
    const id = await context.accounts.openSession(actor, ttlMs);
    await context.accounts.audit(actor, 'sign-in');
    reply.setCookie(SESSION_COOKIE, id, {
      path: '/admin',
      httpOnly: true,
      sameSite: 'strict',
      secure: req.protocol === 'https',
      signed: true,
      maxAge: Math.floor(ttlMs / 1000),
    });
    return reply.redirect(safeNext((req.body as { next?: string }).next), 303);
  });

  scope.post('/admin/logout', async (req, reply) => {
    const raw = req.cookies[SESSION_COOKIE];
    const unsigned = raw ? req.unsignCookie(raw) : undefined;
    if (unsigned?.valid && unsigned.value) await context.accounts.closeSession(unsigned.value);
    if (req.adminActor) await context.accounts.audit(req.adminActor, 'sign-out');
    reply.clearCookie(SESSION_COOKIE, { path: '/admin' });
    return reply.redirect('/admin/login?out=1', 303);
  });
}
