/** A mistake in how a command was called (a missing column, a bad number): one sentence, exit 1. */
export class UsageError extends Error {
  override name = 'UsageError';
}
