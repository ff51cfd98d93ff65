import type { FastifyReply } from 'fastify';
import type { WeekEvent } from '../content/events.js';
import {
  CONTACTS,
  type Contacts,
  type ContentChangeResult,
  type FieldIssue,
} from '../dashboard/content-changes.js';
import { CONTACTS_BODY, docs, EVENT_BODY, ITEM_PARAMS, VERSION_QUERY } from './content-schemas.js';
import type { AdminRoutes } from './routes.js';

type Versioned<T> = T & { version?: number };
type EventFields = Omit<WeekEvent, 'id' | 'sample'>;

/** 400 naming each field the content schema refused. */
export function invalid(reply: FastifyReply, issues: readonly FieldIssue[], prefix = '') {
  const named = issues.map((i) => ({
    field: [prefix, i.field].filter(Boolean).join('.') || '(body)',
    message: i.message,
  }));
  return reply.code(400).send({
    error: 'Bad Request',
    message: named.map((i) => `${i.field}: ${i.message}`).join('; '),
    issues: named,
  });
}

function refused(reply: FastifyReply, result: Exclude<ContentChangeResult, { ok: true }>) {
  if (result.kind === 'invalid') return invalid(reply, result.issues);
  if (result.kind === 'conflict')
    return reply.code(409).send({
      error: 'Conflict',
      message: `It was changed meanwhile (now version ${result.current}); read it again and retry.`,
      current: result.current,
    });
  return reply.code(404).send({ error: 'Not Found', message: 'No such event.' });
}

/**
 * The organiser's events and contacts as JSON: the same changes as the dashboard's content page
 * (checked by the start-up schemas, kept with who and when, effective at once).
 */
export const contentRoutes: AdminRoutes = (scope, _services, context) => {
  const { changes, accounts } = context;
  const withVersion = (e: WeekEvent) => ({ ...e, version: changes.version('event', e.id) });
  const expected = (kind: 'event' | 'contacts', item: string, given: number | undefined) =>
    given ?? changes.version(kind, item);

  scope.get('/events', { schema: docs('The events the bot tells now') }, async () => ({
    events: changes.events().map(withVersion),
  }));

  scope.post<{ Body: Versioned<EventFields> }>(
    '/events',
    { schema: { ...docs('Adds an event'), body: EVENT_BODY } },
    async (req, reply) => {
      const { version: _ignored, ...fields } = req.body;
      const result = await changes.saveEvent(undefined, fields, req.adminActor!.name, 0);
      if (!result.ok) return refused(reply, result);
      await accounts.audit(req.adminActor!, 'content.event.create', {
        event: result.id,
        version: result.version,
      });
      const event = changes.events().find((e) => e.id === result.id)!;
      return reply.code(201).send(withVersion(event));
    },
  );

  scope.put<{ Params: { id: string }; Body: Versioned<EventFields> }>(
    '/events/:id',
    { schema: { ...docs('Replaces an event'), params: ITEM_PARAMS, body: EVENT_BODY } },
    async (req, reply) => {
      const { version, ...fields } = req.body;
      const id = req.params.id;
      const result = await changes.saveEvent(
        id,
        fields,
        req.adminActor!.name,
        expected('event', id, version),
      );
      if (!result.ok) return refused(reply, result);
      await accounts.audit(req.adminActor!, 'content.event.update', {
        event: id,
        version: result.version,
      });
      return withVersion(changes.events().find((e) => e.id === id)!);
    },
  );

  scope.delete<{ Params: { id: string }; Querystring: { version?: number } }>(
    '/events/:id',
    {
      schema: {
        ...docs('Removes an event (kept in the history)'),
        params: ITEM_PARAMS,
        querystring: VERSION_QUERY,
      },
    },
    async (req, reply) => {
      const id = req.params.id;
      const result = await changes.removeEvent(
        id,
        req.adminActor!.name,
        expected('event', id, req.query.version),
      );
      if (!result.ok) return refused(reply, result);
      await accounts.audit(req.adminActor!, 'content.event.remove', {
        event: id,
        version: result.version,
      });
      return { id, removed: true, version: result.version };
    },
  );

  scope.get('/contacts', { schema: docs('The contacts the bot gives now') }, async () => ({
    contacts: changes.contacts(),
    version: changes.version('contacts', CONTACTS),
  }));

  scope.put<{ Body: Versioned<Contacts> }>(
    '/contacts',
    { schema: { ...docs('Replaces the contacts'), body: CONTACTS_BODY } },
    async (req, reply) => {
      const { version, ...contacts } = req.body;
      const result = await changes.saveContacts(
        contacts,
        req.adminActor!.name,
        expected('contacts', CONTACTS, version),
      );
      if (!result.ok) return refused(reply, result);
      await accounts.audit(req.adminActor!, 'content.contacts', { version: result.version });
      return { contacts: changes.contacts(), version: result.version };
    },
  );
};
