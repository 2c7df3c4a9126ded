// readIdx's header rules byte by byte (web/src/data/inflate.ts): what counts as an IDX header,
// when more bytes are needed, the declared-size limit, and a browser without
// DecompressionStream. The streaming and the bomb are in data-read.test.ts.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { declaredIdxBytes, readIdx } from '../../web/src/data/inflate';

const b = (...v: number[]) => Uint8Array.from(v);
const stream = (bytes: Uint8Array) => new Blob([bytes as BlobPart]).stream();

afterEach(() => vi.unstubAllGlobals());

describe('declaredIdxBytes', () => {
  it('needs four bytes, then the whole header', () => {
    expect(declaredIdxBytes(b())).toBe('more');
    expect(declaredIdxBytes(b(0, 0, 8))).toBe('more');
    expect(declaredIdxBytes(b(0, 0, 8, 1))).toBe('more');
    expect(declaredIdxBytes(b(0, 0, 8, 1, 0, 0, 0))).toBe('more');
    expect(declaredIdxBytes(b(0, 0, 8, 1, 0, 0, 0, 5))).toBe(13);
    expect(declaredIdxBytes(b(0, 0, 8, 3, 0, 0, 0, 2, 0, 0, 0, 3, 0, 0, 1, 0))).toBe(16 + 2 * 3 * 256);
  });

  it.each([
    ['a first byte not 0', b(1, 0, 8, 1, 0, 0, 0, 5)],
    ['a bad magic in the first four bytes alone', b(1, 0, 8, 1)],
    ['a second byte not 0', b(0, 1, 8, 1, 0, 0, 0, 5)],
    ['a type other than unsigned bytes', b(0, 0, 9, 1, 0, 0, 0, 5)],
    ['no dimensions', b(0, 0, 8, 0, 0, 0, 0, 5)],
    ['four dimensions', b(0, 0, 8, 4, 0, 0, 0, 5)],
  ])('is not an IDX header with %s', (_what, head) => {
    expect(declaredIdxBytes(head)).toBeNull();
  });
});

describe('readIdx limits', () => {
  it('refuses a header declaring more than the limit, and accepts one at the limit', async () => {
    const file = b(0, 0, 8, 1, 0, 0, 0, 4, 1, 2, 3, 4); // 12 bytes declared
    expect(Array.from(await readIdx(stream(file), { name: 'x', maxBytes: 12 }))).toEqual(Array.from(file));
    const e = (await readIdx(stream(file), { name: 'labels.idx', maxBytes: 11 }).catch((x: Error) => x)) as Error;
    expect(e.name).toBe('LimitError');
    expect(e.message).toMatch(/^labels\.idx: its header declares .*, more than the limit of /);
  });

  it('returns a short file as it is, for the engine to call truncated', async () => {
    const short = b(0, 0, 8, 1, 0, 0, 0, 4, 1, 2);
    expect(Array.from(await readIdx(stream(short), { name: 'x' }))).toEqual(Array.from(short));
  });

  it('says so when the browser cannot decompress', async () => {
    vi.stubGlobal('DecompressionStream', undefined);
    await expect(readIdx(stream(b(0, 0, 8, 1)), { name: 'test labels' })).rejects.toThrow(
      /^test labels: this browser cannot decompress gzip \(no DecompressionStream\); use the uncompressed file$/,
    );
  });
});

describe('readIdx on streams that misbehave', () => {
  /** `bytes` in `size`-byte chunks; `state` records how many bytes were pulled and a cancel. */
  function source(bytes: Uint8Array, size: number, failAfter = Infinity) {
    const state = { pulled: 0, cancelled: false };
    const stream = new ReadableStream<Uint8Array>({
      pull(c) {
        if (state.pulled >= failAfter) return c.error(new Error('disk gone'));
        if (state.pulled >= bytes.length) return c.close();
        c.enqueue(bytes.slice(state.pulled, (state.pulled += size)));
      },
      cancel() {
        state.cancelled = true;
      },
    });
    return { stream, state };
  }

  it('reads bytes that are not IDX only to 512 (what naming them needs), however they arrive', async () => {
    const text = new TextEncoder().encode('x'.repeat(4096));
    const { stream: s, state } = source(text, 8);
    const head = await readIdx(s, { name: 'x' });
    expect(head.length).toBe(512);
    // The pipe may ask for a chunk or two ahead of the reader: 8-byte chunks, so a few bytes.
    expect(state.pulled).toBeLessThanOrEqual(512 + 4 * 8);
    expect(state.cancelled).toBe(true);
  });

  it('gives the source back (cancels it) when it refuses trailing data', async () => {
    const file = b(0, 0, 8, 1, 0, 0, 0, 4, 1, 2, 3, 4, 99, 99, 99, 99);
    const { stream: s, state } = source(file, 2);
    await expect(readIdx(s, { name: 'x' })).rejects.toThrow(/^x: /);
    expect(state.cancelled).toBe(true);
  });

  it('names a source that fails while reading an uncompressed file', async () => {
    const { stream: s } = source(b(0, 0, 8, 1, 0, 0, 0, 40, ...new Array(40).fill(1)), 8, 16);
    await expect(readIdx(s, { name: 'test labels' })).rejects.toThrow(/^test labels: reading the file failed \(disk gone\)$/);
  });
});
