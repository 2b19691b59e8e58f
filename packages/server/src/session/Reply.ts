/**
 * Answer data plus work to run once the answer is written, for requests whose events must
 * follow their answer (`conv.join` then the existing streams). A request handler returns it
 * instead of plain data; the connection sends the answer, then runs `after`.
 */
export class Reply {
  readonly data: unknown;
  readonly after: () => void;

  constructor(data: unknown, after: () => void) {
    this.data = data;
    this.after = after;
  }
}
