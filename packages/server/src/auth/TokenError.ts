/**
 * A JWT refused at registration. `reason` is the plain-words explanation sent to the client
 * (after `register() - ApiRTC Initialization error : `).
 */
export class TokenError extends Error {
  readonly code = 'TOKEN_REFUSED';

  constructor(readonly reason: string) {
    super(reason);
    this.name = 'TokenError';
  }
}
