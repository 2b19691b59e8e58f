// Globals that exist inside the test pages (never in Node). Test code only touches them inside
// page.evaluate / page.waitForFunction callbacks, which run in the browser.

/** One recorded SDK event summary (see page-helpers.js). */
interface E2EEvent {
  type: string;
  at: number;
  // Summaries differ per event type; tests read the fields they asserted on.
  [field: string]: any; // eslint-disable-line @typescript-eslint/no-explicit-any
}

/** ApiRTCError summarised: {code, message}, or {thrown} for a non-ApiRTCError, or {resolved} if no failure. */
interface E2EErrorSummary {
  code?: number;
  message?: string;
  thrown?: string;
  resolved?: string;
  registered?: boolean;
}

interface E2EPageApi {
  events: E2EEvent[];
  ua: any; // eslint-disable-line @typescript-eslint/no-explicit-any
  session: any; // eslint-disable-line @typescript-eslint/no-explicit-any
  keep: Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
  record(type: string, data?: object): void;
  of(type: string): E2EEvent[];
  count(type: string): number;
  isUnique(contact: unknown): boolean;
  error(e: unknown): E2EErrorSummary;
  joined(group: string, id: string): boolean;
  left(group: string, id: string): boolean;
  dataChanged(id: string): E2EEvent[];
  watchSession(session: unknown): void;
  watchContact(id: string): any; // eslint-disable-line @typescript-eslint/no-explicit-any
  register(info?: object, uri?: string): Promise<string>;
  registerError(info: object | undefined, uri: string): Promise<E2EErrorSummary>;
}

// eslint-disable-next-line no-var
declare var E2E: E2EPageApi;
// The SDK namespace, untyped here on purpose: the tests check the runtime surface.
// eslint-disable-next-line no-var, @typescript-eslint/no-explicit-any
declare var apiRTC: any;
// eslint-disable-next-line no-var, @typescript-eslint/no-explicit-any
declare var Parley: any;
