/** A key-management operation that cannot be done (CLI and admin paths, not registration). */
export class ApiKeyError extends Error {
  readonly code: 'API_KEY_NOT_FOUND' | 'API_KEY_EXISTS' | 'API_KEY_INVALID';

  constructor(code: ApiKeyError['code'], message: string) {
    super(message);
    this.name = 'ApiKeyError';
    this.code = code;
  }
}
