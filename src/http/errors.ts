/** One place that turns errors into responses: stable codes, no stack traces to clients. */
import type { FastifyInstance } from 'fastify';
import { ZodError } from 'zod';
import { AppError } from '../services/errors.js';

/** The path of the first string in `value` holding a NUL character ('' for the value itself), if any. */
export function nulCharacterPath(value: unknown, path = ''): string | undefined {
  if (typeof value === 'string') return value.includes('\u0000') ? path : undefined;
  if (typeof value !== 'object' || value === null) return undefined;
  for (const [k, v] of Object.entries(value)) {
    if (k.includes('\u0000')) return path ? `${path}.${k}` : k;
    const found = nulCharacterPath(v, path ? `${path}.${k}` : k);
    if (found !== undefined) return found;
  }
  return undefined;
}

export function registerErrorHandler(app: FastifyInstance): void {
  // PostgreSQL text and jsonb cannot hold NUL (\u0000): refuse it where it comes in, naming the field,
  // rather than fail in the database (a text column, or the audit trail's record of the request).
  app.addHook('preValidation', async (request) => {
    for (const [part, value] of [
      ['body', request.body],
      ['query', request.query],
      ['params', request.params],
    ] as const) {
      const at = nulCharacterPath(value);
      if (at !== undefined)
        throw new AppError(
          'INVALID_INPUT',
          `${part}${at ? `.${at}` : ''}：含有空字符（\\u0000），无法保存；${part}${at ? `.${at}` : ''}: holds a NUL character (\\u0000), which cannot be stored`,
        );
    }
  });
  app.setNotFoundHandler((request, reply) =>
    reply
      .status(404)
      .send({ error: { code: 'NOT_FOUND', message: `no route for ${request.method} ${request.url.split('?')[0]}` } }),
  );
  app.setErrorHandler((error, request, reply) => {
    if (error instanceof AppError) {
      return reply
        .status(error.status)
        .send({ error: { code: error.code, message: error.message, details: error.details } });
    }
    if (error instanceof ZodError) {
      return reply.status(400).send({
        error: {
          code: 'INVALID_INPUT',
          message: error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '),
        },
      });
    }
    const e = error as { validation?: unknown; statusCode?: number; message: string };
    if (e.validation) return reply.status(400).send({ error: { code: 'INVALID_INPUT', message: e.message } });
    if (e.statusCode && e.statusCode >= 400 && e.statusCode < 500)
      return reply.status(e.statusCode).send({ error: { code: 'BAD_REQUEST', message: e.message } });
    request.log.error({ err: error }, 'unhandled error');
    return reply
      .status(500)
      .send({ error: { code: 'INTERNAL', message: 'internal error', correlationId: request.id } });
  });
}
