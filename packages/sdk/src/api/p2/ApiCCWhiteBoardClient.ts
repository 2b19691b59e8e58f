import { notSupported } from '../../util/unsupported.js';

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
    notSupported('setCanvas');
  }

  getScale(): number {
    return this.#scale;
  }

  setScale(factor: number): void {
    this.#scale = factor;
  }

  setReadOnly(_value: boolean): void {
    notSupported('setReadOnly');
  }

  getContext(): CanvasRenderingContext2D | null {
    return null;
  }

  setBrushColor(_color: string): void {
    notSupported('setBrushColor');
  }

  setBrushSize(_value: number): void {
    notSupported('setBrushSize');
  }

  setFocusOnDrawing(_value: boolean): void {
    notSupported('setFocusOnDrawing');
  }

  setDrawingTool(_tool: string): void {
    notSupported('setDrawingTool');
  }

  stop(): void {
    notSupported('stop');
  }

  refreshCanvas(): void {
    notSupported('refreshCanvas');
  }

  redraw(): void {
    notSupported('redraw');
  }

  undo(): void {
    notSupported('undo');
  }

  redo(): void {
    notSupported('redo');
  }

  clearPaper(): void {
    notSupported('clearPaper');
  }

  printSharedText(_x: number, _y: number, _text: string, _size: number, _font: string, _border: number): void {
    notSupported('printSharedText');
  }

  activateTouchScreen(): void {
    notSupported('activateTouchScreen');
  }

  deactivateTouchScreen(): void {
    notSupported('deactivateTouchScreen');
  }
}
