/** What every route module gets, and the schema shape of a route (for validation and OpenAPI). */
import type { z } from 'zod';
import type { AuthSettings } from '../config.js';
import type { Store } from '../store/db.js';
import * as s from './schemas.js';

export interface RouteDeps {
  store: Store;
  auth: AuthSettings;
  /** The plan served: the one named at start, or the most recently loaded. */
  planId(): Promise<string>;
}

const errorResponse = s.jsonSchema(s.errorBody);
const errorResponses = {
  400: errorResponse,
  401: errorResponse,
  403: errorResponse,
  404: errorResponse,
  500: errorResponse,
};

export function routeSchema(opts: {
  summary: string;
  tags: string[];
  response?: z.ZodType;
  query?: z.ZodType;
  params?: z.ZodType;
  body?: z.ZodType;
  /** Status of a success without the default 200 (e.g. 201, 204). */
  status?: number;
}) {
  const status = opts.status ?? 200;
  return {
    summary: opts.summary,
    tags: opts.tags,
    ...(opts.query && { querystring: s.jsonSchema(opts.query) }),
    ...(opts.params && { params: s.jsonSchema(opts.params) }),
    ...(opts.body && { body: s.jsonSchema(opts.body) }),
    response: {
      ...errorResponses,
      [status]: opts.response ? s.jsonSchema(opts.response) : { type: 'null', description: 'No content' },
    } as Record<number, unknown>,
  };
}
