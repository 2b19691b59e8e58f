/** A mistake in the command line: exit status 2 with the usage hint. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}
