import { rejectNotSupported } from '../../util/unsupported.js';

/** Enterprise account of a cloud user (P2). Parley has no cloud accounts: every call rejects. */
export class Enterprise {
  readonly #id: string;
  readonly #apiKey: string;
  readonly #session: unknown;

  /** Internal. */
  constructor(id?: string, apikey?: string, session?: unknown, _opts?: object) {
    this.#id = id ?? '';
    this.#apiKey = apikey ?? '';
    this.#session = session;
  }

  /** No events. */
  static getAvailableEvents(): string[] {
    return [];
  }

  /** P2: not supported. */
  static fetchEnterpriseInformation(_bearerToken: string, _options?: object): Promise<object> {
    return rejectNotSupported('fetchEnterpriseInformation');
  }

  /** P2: not supported. */
  static fetchSiteAgents(_siteKey: string, _options?: object): Promise<object[]> {
    return rejectNotSupported('fetchSiteAgents');
  }

  getSession(): unknown {
    return this.#session;
  }

  getId(): string {
    return this.#id;
  }

  getApiKey(): string {
    return this.#apiKey;
  }

  load(): Promise<void> {
    return rejectNotSupported('load');
  }

  getContacts(): { [id: string]: unknown } {
    return {};
  }

  uploadFile(_file: Blob, _opts?: object): Promise<string> {
    return rejectNotSupported('uploadFile');
  }

  getAvailableConferences(): Promise<object> {
    return rejectNotSupported('getAvailableConferences');
  }

  getConference(_name: string): Promise<object> {
    return rejectNotSupported('getConference');
  }

  createPrivateConference(_opts?: object): Promise<object> {
    return rejectNotSupported('createPrivateConference');
  }

  getTags(_conference?: unknown): Promise<object[]> {
    return rejectNotSupported('getTags');
  }
}
