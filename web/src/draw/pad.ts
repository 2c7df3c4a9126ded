// The drawing pad: a canvas that records mouse, touch and pen strokes with Pointer Events.
// Ink is drawn opaque on a transparent canvas, so the alpha channel is the grey image that
// preprocess.ts turns into the network's 28x28 input.
import { alphaOf, type GreyImage } from './preprocess';
import { closingSegment, lastSegment, penWidth, toCanvas, type CurveSegment, type StrokePoint } from './stroke';

export type PadChange = 'draw' | 'stroke-end' | 'clear' | 'image';

export interface PadOptions {
  /** Canvas resolution in pixels (square). Default 280. */
  size?: number;
  /** Called when the ink changes; 'stroke-end' when a pointer is lifted. */
  onChange?: (change: PadChange) => void;
}

export class DrawingPad {
  readonly canvas: HTMLCanvasElement;
  private readonly ctx: CanvasRenderingContext2D;
  private readonly onChange: (change: PadChange) => void;
  private readonly controller = new AbortController();
  private stroke: StrokePoint[] = [];
  private pointerId: number | null = null;
  private inked = false;

  constructor(canvas: HTMLCanvasElement, options: PadOptions = {}) {
    const size = options.size ?? 280;
    this.canvas = canvas;
    canvas.width = size;
    canvas.height = size;
    const ctx = canvas.getContext('2d', { willReadFrequently: true });
    if (!ctx) throw new Error('This browser cannot draw on a canvas (2D context unavailable).');
    this.ctx = ctx;
    this.onChange = options.onChange ?? (() => undefined);
    // Drawing on a phone must not scroll or zoom the page (also set in CSS).
    canvas.style.touchAction = 'none';

    const signal = this.controller.signal;
    canvas.addEventListener('pointerdown', (e) => this.down(e), { signal });
    canvas.addEventListener('pointermove', (e) => this.move(e), { signal });
    canvas.addEventListener('pointerup', (e) => this.up(e), { signal });
    canvas.addEventListener('pointercancel', (e) => this.up(e), { signal });
    canvas.addEventListener('lostpointercapture', (e) => this.up(e), { signal });
    // Long-press on touch screens would otherwise open a context menu over the pad.
    canvas.addEventListener('contextmenu', (e) => e.preventDefault(), { signal });
  }

  isEmpty(): boolean {
    return !this.inked;
  }

  /** True while a pointer is down on the pad (a stroke is being drawn). */
  isDrawing(): boolean {
    return this.pointerId !== null;
  }

  clear(): void {
    this.ctx.clearRect(0, 0, this.canvas.width, this.canvas.height);
    this.stroke = [];
    this.inked = false;
    this.onChange('clear');
  }

  /** The ink as a grey image (0..255), the pad's resolution. */
  grey(): GreyImage {
    const { width, height } = this.canvas;
    return alphaOf(this.ctx.getImageData(0, 0, width, height).data, width, height);
  }

  /**
   * Put a 28x28 image (0..255, ink high) on the pad, enlarged to fit a 20/28 box like a drawing,
   * e.g. a test image a keyboard user picked. Replaces the ink.
   */
  showImage(image: Uint8Array, rows: number, cols: number): void {
    const small = document.createElement('canvas');
    small.width = cols;
    small.height = rows;
    const sctx = small.getContext('2d');
    if (!sctx) return;
    const data = sctx.createImageData(cols, rows);
    for (let i = 0; i < rows * cols; i++) {
      data.data[i * 4 + 3] = image[i] ?? 0;
    }
    sctx.putImageData(data, 0, 0);
    const { width, height } = this.canvas;
    this.ctx.clearRect(0, 0, width, height);
    this.ctx.imageSmoothingEnabled = true;
    this.ctx.imageSmoothingQuality = 'high';
    this.ctx.drawImage(small, 0, 0, width, height);
    this.inked = image.some((v) => v > 0);
    this.stroke = [];
    this.onChange('image');
  }

  destroy(): void {
    this.controller.abort();
  }

  private point(e: PointerEvent): StrokePoint {
    return toCanvas(e.clientX, e.clientY, this.canvas.getBoundingClientRect(), this.canvas.width, this.canvas.height);
  }

  private down(e: PointerEvent): void {
    if (this.pointerId !== null || (e.pointerType === 'mouse' && e.button !== 0)) return;
    e.preventDefault();
    this.pointerId = e.pointerId;
    try {
      this.canvas.setPointerCapture(e.pointerId);
    } catch {
      // Synthetic or already-released pointers cannot be captured; drawing still works.
    }
    const p = this.point(e);
    this.stroke = [p];
    // A tap leaves a dot.
    this.ctx.fillStyle = '#000';
    this.ctx.beginPath();
    this.ctx.arc(p.x, p.y, penWidth(this.canvas.width) / 2, 0, Math.PI * 2);
    this.ctx.fill();
    this.inked = true;
    this.onChange('draw');
  }

  private move(e: PointerEvent): void {
    if (e.pointerId !== this.pointerId) return;
    e.preventDefault();
    // Coalesced events carry the samples the browser merged into this one (smoother lines).
    const events = typeof e.getCoalescedEvents === 'function' ? e.getCoalescedEvents() : [];
    for (const ev of events.length > 0 ? events : [e]) {
      this.stroke.push(this.point(ev));
      const seg = lastSegment(this.stroke);
      if (seg) this.drawSegment(seg);
    }
    this.onChange('draw');
  }

  private up(e: PointerEvent): void {
    if (e.pointerId !== this.pointerId) return;
    this.pointerId = null;
    const seg = closingSegment(this.stroke);
    if (seg) this.drawSegment(seg);
    this.stroke = [];
    this.onChange('stroke-end');
  }

  private drawSegment(s: CurveSegment): void {
    const ctx = this.ctx;
    ctx.strokeStyle = '#000';
    ctx.lineWidth = penWidth(this.canvas.width);
    ctx.lineCap = 'round';
    ctx.lineJoin = 'round';
    ctx.beginPath();
    ctx.moveTo(s.from.x, s.from.y);
    ctx.quadraticCurveTo(s.control.x, s.control.y, s.to.x, s.to.y);
    ctx.stroke();
  }
}
