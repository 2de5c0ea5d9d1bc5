/**
 * The errors a use case may raise on purpose, each with a stable code and an HTTP status. They are
 * mapped to a response in one place (http/errors.ts) and to one sentence on the command line.
 * Anything else is a bug: a generic 500 with a correlation id, never a stack trace to the user.
 */
const STATUS = {
  UNAUTHENTICATED: 401,
  INVALID_CREDENTIALS: 401,
  FORBIDDEN: 403,
  CSRF: 403,
  LOCKED: 429,
  NOT_FOUND: 404,
  INVALID_INPUT: 400,
  INVALID_PLAN: 422,
  INVALID_FILE: 422,
  NO_PLAN: 503,
  CONFLICT: 409,
} as const;

export type ErrorCode = keyof typeof STATUS;

export class AppError extends Error {
  override name = 'AppError';
  readonly status: number;
  constructor(
    readonly code: ErrorCode,
    message: string,
    /** Row- or field-level detail (e.g. every problem of a plan file). */
    readonly details?: unknown,
  ) {
    super(message);
    this.status = STATUS[code];
  }
}

export const notFound = (what: string) => new AppError('NOT_FOUND', `${what} was not found`);
