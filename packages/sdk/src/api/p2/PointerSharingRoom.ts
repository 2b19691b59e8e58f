import { rejectNotSupported } from '../../util/unsupported.js';

/** Pointer-sharing room (P2). Not supported by Parley; the SDK never creates one. */
export class PointerSharingRoom {
  readonly #roomId: string;

  /** Internal. */
  constructor(roomId?: string) {
    this.#roomId = roomId ?? '';
  }

  /** No events. */
  static getAvailableEvents(): string[] {
    return [];
  }

  getRoomId(): string {
    return this.#roomId;
  }

  isActive(): boolean {
    return false;
  }

  leaveRoom(): Promise<unknown> {
    return rejectNotSupported('leaveRoom');
  }

  invite(_contact: unknown, _data?: object): Promise<unknown> {
    return rejectNotSupported('invite');
  }

  sendPointerLocation(_source: object, _x: number, _y: number, _data?: object): Promise<unknown> {
    return rejectNotSupported('sendPointerLocation');
  }
}
