import { randomNumericId } from '../../util/ids.js';

/** Diagnostics store of internal events (P2). Parley stores nothing; the API answers empty. */
export class EventCenter {
  readonly id: string = randomNumericId();

  /** No events. */
  static getAvailableEvents(): string[] {
    return [];
  }

  getStoredData(): object {
    return {};
  }

  clearStoredData(): void {}

  enableConsoleOutput(): void {}

  disableStorage(): void {}
}
