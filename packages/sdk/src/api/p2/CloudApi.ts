import { rejectNotSupported } from '../../util/unsupported.js';

/** Static REST helper against the vendor cloud (P2). Parley's REST API differs: every call rejects. */
export class CloudApi {
  /** No events. */
  static getAvailableEvents(): string[] {
    return [];
  }

  static get(_url: string, _params?: unknown, _headers?: unknown): Promise<unknown> {
    return rejectNotSupported('get');
  }

  static post(_url: string, _params?: unknown, _onProgress?: unknown, _headers?: unknown): Promise<unknown> {
    return rejectNotSupported('post');
  }

  static put(_url: string, _params?: unknown, _onProgress?: unknown, _headers?: unknown): Promise<unknown> {
    return rejectNotSupported('put');
  }

  static delete(_url: string, _params?: unknown, _headers?: unknown): Promise<unknown> {
    return rejectNotSupported('delete');
  }

  /** Accepted and ignored: the SDK always talks to its own Parley server. */
  static setCloudURL(_url: string): void {}
}
