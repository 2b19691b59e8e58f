/** A configuration that cannot be used. Raised at startup so a bad deployment fails fast. */
export class ConfigError extends Error {
  /** Stable code for callers that branch on the error kind. */
  readonly code = 'CONFIG_INVALID';

  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}
