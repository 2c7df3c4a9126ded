// Shared by the decompression-bomb tests (data-read, worker-session, and the browser test in
// tests/e2e): the bomb itself, made by the test, and a DecompressionStream that counts what the
// platform's inflater hands out, so a test sees how much a reader made it inflate. No Vitest
// here: the browser test imports it too.
import { constants, deflateRawSync } from 'node:zlib';

/** The bomb's IDX header declares 60,000 images of 28x28: 16 + 47,040,000 bytes. */
export const BOMB_DECLARED_BYTES = 47_040_016;

/**
 * A .gz whose IDX header declares 60,000 28x28 images (47 MB) but that inflates to `gigabytes`
 * GB (1024 MB each) of zeros. Made of one 1 MB deflate block repeated (each piece ends
 * byte-aligned with a sync flush and refers only to itself), so it is ~1 KB per inflated MB.
 * The trailer's CRC and size are zeros: a reader that got that far has already failed.
 */
export function idxGzipBomb(gigabytes: number): Uint8Array {
  const MB = 1 << 20;
  const firstMB = new Uint8Array(MB);
  const header = new DataView(firstMB.buffer);
  header.setUint32(0, 0x0803, false); // unsigned bytes, 3 dimensions
  header.setUint32(4, 60_000, false);
  header.setUint32(8, 28, false);
  header.setUint32(12, 28, false);
  const sync = { finishFlush: constants.Z_SYNC_FLUSH };
  const first = deflateRawSync(firstMB, sync);
  const zeros = deflateRawSync(new Uint8Array(MB), sync);
  const pieces = gigabytes * 1024 - 1;
  const head = Uint8Array.from([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff]);
  const tail = Uint8Array.from([0x03, 0x00, 0, 0, 0, 0, 0, 0, 0, 0]); // empty final block, CRC, size
  const out = new Uint8Array(head.length + first.length + pieces * zeros.length + tail.length);
  out.set(head);
  out.set(first, head.length);
  for (let i = 0, at = head.length + first.length; i < pieces; i++, at += zeros.length) out.set(zeros, at);
  out.set(tail, out.length - tail.length);
  return out;
}

/** Replaces the global DecompressionStream with one that counts the bytes it inflates, until
 * `restore()` (call it in a finally). Plain JavaScript, so a browser test can pass it to a page
 * or worker as it is: `worker.evaluate(countInflatedBytes)` leaves the count in
 * `globalThis.__inflated`. */
export function countInflatedBytes(): { inflated: () => number; restore: () => void } {
  const g = globalThis as unknown as { DecompressionStream: typeof DecompressionStream; __inflated: number };
  const Real = g.DecompressionStream;
  g.__inflated = 0;
  // A constructor function returning the pair (no class fields: the source must survive being
  // sent to a browser as text).
  g.DecompressionStream = function (format: CompressionFormat) {
    const d = new Real(format);
    const count = new TransformStream<Uint8Array, Uint8Array>({ transform: (c, ctl) => void ((g.__inflated += c.length), ctl.enqueue(c)) });
    return { writable: d.writable, readable: d.readable.pipeThrough(count) };
  } as unknown as typeof DecompressionStream;
  return { inflated: () => g.__inflated, restore: () => void (g.DecompressionStream = Real) };
}
