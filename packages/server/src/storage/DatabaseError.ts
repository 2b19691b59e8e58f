/** Raised when the database cannot be opened or migrated. */
export class DatabaseError extends Error {
  readonly code: 'DB_OPEN_FAILED' | 'DB_TOO_NEW';

  constructor(code: DatabaseError['code'], message: string) {
    super(message);
    this.name = 'DatabaseError';
    this.code = code;
  }
}
