import { throwNotSupported } from '../../util/unsupported.js';

/** Canvas drawing client of the whiteboard features (P2). Not supported by Parley: methods only log. */
export class ApiCCWhiteBoardClient {
  /** Drawn elements. */
  drawElements: unknown[] = [];
  #scale = 1;

  /** No events. */
  static getAvailableEvents(): string[] {
    return [];
  }

  setCanvas(_canvasId: string): void {
    throwNotSupported('setCanvas');
  }

  getScale(): number {
    return this.#scale;
  }

  setScale(factor: number): void {
    this.#scale = factor;
  }

  setReadOnly(_value: boolean): void {
    throwNotSupported('setReadOnly');
  }

  getContext(): CanvasRenderingContext2D | null {
    return null;
  }

  setBrushColor(_color: string): void {
    throwNotSupported('setBrushColor');
  }

  setBrushSize(_value: number): void {
    throwNotSupported('setBrushSize');
  }

  setFocusOnDrawing(_value: boolean): void {
    throwNotSupported('setFocusOnDrawing');
  }

  setDrawingTool(_tool: string): void {
    throwNotSupported('setDrawingTool');
  }

  stop(): void {
    throwNotSupported('stop');
  }

  refreshCanvas(): void {
    throwNotSupported('refreshCanvas');
  }

  redraw(): void {
    throwNotSupported('redraw');
  }

  undo(): void {
    throwNotSupported('undo');
  }

  redo(): void {
    throwNotSupported('redo');
  }

  clearPaper(): void {
    throwNotSupported('clearPaper');
  }

  printSharedText(_x: number, _y: number, _text: string, _size: number, _font: string, _border: number): void {
    throwNotSupported('printSharedText');
  }

  activateTouchScreen(): void {
    throwNotSupported('activateTouchScreen');
  }

  deactivateTouchScreen(): void {
    throwNotSupported('deactivateTouchScreen');
  }
}
