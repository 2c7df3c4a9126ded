// Small greyscale images (0..255, ink = 255) drawn on canvases, scaled with crisp pixels by CSS.

/** A canvas showing one rows x cols image: ink dark on light (like paper) unless `inverted`. */
export function imageCanvas(pixels: Uint8Array, offset: number, rows: number, cols: number, label: string): HTMLCanvasElement {
  const canvas = document.createElement('canvas');
  canvas.width = cols;
  canvas.height = rows;
  canvas.className = 'digit';
  canvas.setAttribute('role', 'img');
  canvas.setAttribute('aria-label', label);
  const ctx = canvas.getContext('2d');
  if (!ctx) return canvas;
  const img = ctx.createImageData(cols, rows);
  for (let i = 0; i < rows * cols; i++) {
    const v = 255 - pixels[offset + i]!;
    img.data[i * 4] = v;
    img.data[i * 4 + 1] = v;
    img.data[i * 4 + 2] = v;
    img.data[i * 4 + 3] = 255;
  }
  ctx.putImageData(img, 0, 0);
  return canvas;
}
