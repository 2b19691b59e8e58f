/**
 * Answer data plus work to run once the answer is written, for requests whose events must
 * follow their answer (`conv.join` then the existing streams). A request handler returns it
 * instead of plain data; the connection sends the answer, then runs `after`.
 */
export class Reply<T> {
  readonly data: T;
  readonly after: () => void;

  constructor(data: T, after: () => void) {
    this.data = data;
    this.after = after;
  }
}
