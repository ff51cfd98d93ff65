import type { FastifyError, FastifyInstance } from 'fastify';

/**
 * One error shape for every route: `{error, message}` with a 4xx for what the caller can fix and
 * a bare 500 (details only in the log, never a stack trace) for the rest.
 */
export function registerErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError, req, reply) => {
    const status = error.statusCode ?? 500;
    if (status === 503) {
      // Storage or Redis is not answering: the platform retries after this.
      const retryAfter = (error as { retryAfterSeconds?: number }).retryAfterSeconds ?? 5;
      req.log.warn({ code: error.code }, 'request refused: service unavailable');
      return reply
        .code(503)
        .header('retry-after', String(retryAfter))
        .send({ error: 'Service Unavailable', message: error.message });
    }
    if (status >= 500) {
      req.log.error({ err: error }, 'request failed');
      return reply.code(500).send({
        error: 'Internal Server Error',
        message: 'Something went wrong on our side; it has been logged.',
      });
    }
    let message = error.message;
    if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') message = 'The request body is too large.';
    else if (error.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE')
      message = 'Unsupported content type: send application/json.';
    else if (error.code === 'FST_ERR_CTP_EMPTY_JSON_BODY')
      message = 'The request body is empty: send a JSON object.';
    else if (error instanceof SyntaxError || /JSON/.test(error.message))
      message = 'The request body is not valid JSON.';
    req.log.info({ code: error.code, status }, 'request refused');
    return reply.code(status).send({ error: httpReason(status), message });
  });
  app.setNotFoundHandler((req, reply) =>
    reply
      .code(404)
      .send({ error: 'Not Found', message: `No route ${req.method} ${req.url.split('?')[0]}.` }),
  );
}

/** The HTTP reason phrase used as `error` in answers. */
export function httpReason(status: number): string {
  return (
    {
      400: 'Bad Request',
      401: 'Unauthorized',
      403: 'Forbidden',
      404: 'Not Found',
      413: 'Payload Too Large',
      415: 'Unsupported Media Type',
      429: 'Too Many Requests',
    }[status] ?? 'Error'
  );
}
