// The last drawn digit (28x28, 0..1), shared by the draw panel (writer) and the
// "Inside the network" view (reader). A tiny typed observable instead of DOM events.

export type DrawnDigitListener = (pixels: Float32Array | null) => void;

let current: Float32Array | null = null;
const listeners = new Set<DrawnDigitListener>();

/** Publish the digit now on the pad, or null when the pad is empty. */
export function setDrawnDigit(pixels: Float32Array | null): void {
  current = pixels;
  for (const listener of listeners) listener(pixels);
}

export function drawnDigit(): Float32Array | null {
  return current;
}

/** Subscribe; returns the unsubscribe function. */
export function onDrawnDigit(listener: DrawnDigitListener): () => void {
  listeners.add(listener);
  return () => {
    listeners.delete(listener);
  };
}
