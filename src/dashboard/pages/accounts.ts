import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { html } from '../html.js';
import { translateIfKnown } from '../i18n.js';
import { csrfField, fieldError, when, type Notice } from '../layout.js';
import type { PageDeps } from '../plugin.js';
import { ROLES, isRole } from '../roles.js';

/** Owners manage tokens; everyone reads the audit log. */
export function accountPages(scope: FastifyInstance, deps: PageDeps): void {
  const { services, context } = deps;

  const tokensPage = async (
    req: FastifyRequest,
    reply: FastifyReply,
    notices: Notice[],
    errors: Record<string, string> = {},
    created?: { name: string; token: string },
  ) => {
    const f = deps.frame(req, reply);
    const { t, locale } = f;
    const tokens = await context.accounts.listTokens();
    const body = html`${
        created
          ? html`<div class="notice ok" role="status">
              <p>${t('tok.created', { name: created.name })}</p>
              <p><code id="new-token">${created.token}</code></p>
            </div>`
          : ''
      }
      <form method="post" action="/admin/tokens" class="card narrow">
        ${csrfField(f)} <label for="name">${t('tok.name')}</label
        ><input id="name" name="name" maxlength="60" />${fieldError(errors, 'name')}
        <label for="role">${t('tok.role')}</label
        ><select id="role" name="role">
          ${ROLES.map((r) => html`<option value="${r}">${t(`role.${r}`)}</option>`)}
        </select>
        <button class="primary">${t('tok.create')}</button>
      </form>
      <div class="table-wrap">
        <table class="rows">
          <thead>
            <tr>
              <th>${t('tok.name')}</th>
              <th>${t('tok.role')}</th>
              <th>${t('tok.lastUsed')}</th>
              <th></th>
            </tr>
          </thead>
          <tbody>
            ${tokens.map((k) => html`<tr${k.revokedAt ? html` class="revoked"` : ''}><td>${k.name}</td><td>${t(`role.${k.role}`)}</td><td>${when(k.lastUsedAt, locale, services.config.timezone)}</td><td>${k.source === 'store' && !k.revokedAt ? html`<form method="post" action="/admin/tokens/${k.id}/revoke" class="inline">${csrfField(f)}<button class="danger small">${t('tok.revoke')}</button></form>` : k.revokedAt ? '✗' : ''}</td></tr>`)}
          </tbody>
        </table>
      </div>`;
    return deps.page(reply, f, t('tok.title'), body, notices);
  };

  scope.get('/admin/tokens', async (req, reply) => {
    if (!deps.allow(req, reply, 'tokens')) return reply;
    const t = deps.frame(req, reply).t;
    return tokensPage(
      req,
      reply,
      (req.query as { notice?: string }).notice === 'revoked'
        ? [{ kind: 'ok', text: t('tok.revoked') }]
        : [],
    );
  });

  scope.post('/admin/tokens', async (req, reply) => {
    if (!deps.allow(req, reply, 'tokens')) return reply;
    const t = deps.frame(req, reply).t;
    const body = req.body as { name?: string; role?: string };
    const name = String(body.name ?? '').trim();
    if (!/^[\p{L}\p{N} ._-]{2,60}$/u.test(name) || !isRole(body.role))
      return tokensPage(req, reply.code(400), [], { name: t('tok.errName') });
    const result = await context.accounts.createToken(name, body.role, req.adminActor!);
    if (!result.ok) return tokensPage(req, reply.code(409), [], { name: t('tok.taken') });
    await context.accounts.audit(req.adminActor!, 'token.create', { name, role: body.role });
    return tokensPage(req, reply, [], {}, { name, token: result.token });
  });

  scope.post<{ Params: { id: string } }>('/admin/tokens/:id/revoke', async (req, reply) => {
    if (!deps.allow(req, reply, 'tokens')) return reply;
    const id = /^\d{1,15}$/.test(req.params.id) ? Number(req.params.id) : 0;
    if (await context.accounts.revokeToken(id))
      await context.accounts.audit(req.adminActor!, 'token.revoke', { token: id });
    return reply.redirect('/admin/tokens?notice=revoked', 303);
  });

  scope.get('/admin/audit', async (req, reply) => {
    if (!deps.allow(req, reply, 'view')) return reply;
    const f = deps.frame(req, reply);
    const { t, locale } = f;
    const page = Math.max(1, Number((req.query as { page?: string }).page ?? 1) || 1);
    const { items, total } = await context.accounts.auditPage(50, (page - 1) * 50);
    const body = html`<p class="muted">
        ${t('pageOf', { page, pages: Math.max(1, Math.ceil(total / 50)), total })}
      </p>
      <div class="table-wrap">
        <table class="rows" id="audit">
          <thead>
            <tr>
              <th>${t('audit.at')}</th>
              <th>${t('audit.who')}</th>
              <th>${t('audit.what')}</th>
              <th>${t('audit.detail')}</th>
            </tr>
          </thead>
          <tbody>
            ${items.map(
              (a) =>
                html`<tr>
                  <td>${when(a.at, locale, services.config.timezone)}</td>
                  <td>${a.actor}</td>
                  <td>
                    ${translateIfKnown(locale, `act.${a.action}`) ?? a.action}
                    <span class="muted mono">${a.action}</span>
                  </td>
                  <td class="mono">${a.detail ?? ''}</td>
                </tr>`,
            )}
          </tbody>
        </table>
      </div>
      ${page * 50 < total ? html`<nav class="pager"><a href="/admin/audit?page=${page + 1}">${t('next')}</a></nav>` : ''}`;
    return deps.page(reply, f, t('audit.title'), body);
  });
}
