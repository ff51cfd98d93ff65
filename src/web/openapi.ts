import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';
import { ADMIN_TAGS } from '../admin/docs.js';

/**
 * OpenAPI 3 for the admin API, generated from the routes' own schemas: the document at
 * `/docs/json` (and `/docs/yaml`), Swagger UI at `/docs`. Must be registered before the routes.
 * Only `/api/v1` routes are listed; the webhooks belong to the platforms.
 */
export async function registerOpenApi(app: FastifyInstance): Promise<void> {
  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: {
        title: 'Lifelong Learning Week chatbot: admin API',
        description:
          'Registrations, broadcasts, questions and the FAQ, campaigns, the results report, the quiz, nominations and accounts. Send `Authorization: Bearer <token>` (ADMIN_TOKEN or a token made under Accounts). Every error is `{"error", "message"}`; a 400 names the field.',
        version: '1',
      },
      tags: ADMIN_TAGS,
      components: {
        securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'ADMIN_TOKEN' } },
      },
    },
    hideUntagged: true,
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });
}
