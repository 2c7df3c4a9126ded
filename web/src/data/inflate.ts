// Reads one IDX file from a stream of its bytes, raw or gzipped, once: it counts the bytes as
// they arrive, inflates gzip with the platform's DecompressionStream, and stops at the size the
// IDX header declares plus one byte. A file that inflates past its header (trailing data, or a
// decompression bomb: a few MB that inflate to gigabytes) is refused as soon as the extra byte
// appears, so memory stays bounded by the declared size (itself at most MAX_FILE_BYTES). The
// format itself (magic, sizes, limits) is checked by the engine (core/src/data/idx.cpp).
//
// IDX header (big-endian): 00 00, type (0x08 = unsigned byte), dims, then dims x u32 sizes.
import { formatError, namedError } from './errors';
import { isGzip, SNIFF_BYTES } from './sniff';

/** Largest inflated file the page accepts (full MNIST's training images are 47 MB; the wasm
 * heap is at most 2 GB and holds the data set once more). */
export const MAX_FILE_BYTES = 512 * 1024 * 1024;

/** Source pieces fed to the inflater: deflate expands at most ~1032x, so one piece inflates
 * to at most ~16 MB before the size check sees it. */
const PIECE_BYTES = 16 * 1024;

export interface ReadOptions {
  /** Names the file in messages, e.g. "training images (train-images-idx3-ubyte.gz)". */
  name: string;
  /** Called with the number of source (compressed) bytes of each piece as it arrives. */
  onBytes?: (n: number) => void;
  /** Largest declared size accepted (default MAX_FILE_BYTES). */
  maxBytes?: number;
}

/**
 * Total bytes an IDX file declares (header + items), from its first bytes; 'more' when more
 * bytes are needed to tell, null when they are not an IDX header of 1 to 3 dimensions (the
 * engine then says what is wrong with them).
 */
export function declaredIdxBytes(head: Uint8Array): number | 'more' | null {
  if (head.length < 4) return 'more';
  const dims = head[3]!;
  if (head[0] !== 0 || head[1] !== 0 || head[2] !== 0x08 || dims < 1 || dims > 3) return null;
  const header = 4 + 4 * dims;
  if (head.length < header) return 'more';
  const view = new DataView(head.buffer, head.byteOffset, header);
  let items = 1;
  for (let d = 0; d < dims; d++) items *= view.getUint32(4 + 4 * d, false);
  return header + items;
}

/** Counts source bytes and cuts them into pieces of at most PIECE_BYTES. */
function counted(onBytes: ReadOptions['onBytes']): TransformStream<Uint8Array, Uint8Array> {
  return new TransformStream({
    transform(chunk, controller) {
      onBytes?.(chunk.length);
      for (let at = 0; at < chunk.length; at += PIECE_BYTES) {
        controller.enqueue(chunk.subarray(at, Math.min(chunk.length, at + PIECE_BYTES)));
      }
    },
  });
}

/** The stream's bytes, inflated when they start with the gzip magic number. */
async function inflatedIfGzip(source: ReadableStream<Uint8Array>): Promise<{ stream: ReadableStream<Uint8Array>; gzip: boolean }> {
  const reader = source.getReader();
  const seen: Uint8Array[] = [];
  let length = 0;
  while (length < 2) {
    const r = await reader.read();
    if (r.done) break;
    seen.push(r.value);
    length += r.value.length;
  }
  const first = new Uint8Array(Math.min(length, 2));
  let at = 0;
  for (const c of seen) for (let i = 0; i < c.length && at < first.length; i++) first[at++] = c[i]!;
  // The bytes already read, then the rest of the source.
  const replay = new ReadableStream<Uint8Array>({
    async pull(controller) {
      const next = seen.shift();
      if (next) return controller.enqueue(next);
      const r = await reader.read();
      if (r.done) controller.close();
      else controller.enqueue(r.value);
    },
    cancel: (reason) => reader.cancel(reason),
  });
  const gzip = isGzip(first);
  const inflate = new DecompressionStream('gzip') as unknown as ReadableWritablePair<Uint8Array, Uint8Array>;
  return { stream: gzip ? replay.pipeThrough(inflate) : replay, gzip };
}

/**
 * The file's bytes, inflated when gzipped, read at most to the declared size plus one byte.
 * Bytes that are not an IDX header are read only to SNIFF_BYTES (enough to say what they are).
 */
export async function readIdx(source: ReadableStream<Uint8Array>, options: ReadOptions): Promise<Uint8Array> {
  const { name } = options;
  const maxBytes = options.maxBytes ?? MAX_FILE_BYTES;
  if (typeof DecompressionStream === 'undefined') {
    throw formatError(`${name}: this browser cannot decompress gzip (no DecompressionStream); use the uncompressed file`);
  }
  const { stream, gzip } = await inflatedIfGzip(source.pipeThrough(counted(options.onBytes)));
  const reader = stream.getReader();
  let head = new Uint8Array(16);
  let headLength = 0;
  let out: Uint8Array | null = null; // allocated once the declared size is known
  let limit = SNIFF_BYTES;
  let total = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      if (!out) {
        // Still reading the header: keep the first bytes.
        const grown = new Uint8Array(Math.max(head.length, headLength + value.length));
        grown.set(head.subarray(0, headLength));
        grown.set(value, headLength);
        head = grown;
        headLength += value.length;
        total = headLength;
        const declared = declaredIdxBytes(head.subarray(0, headLength));
        if (declared === 'more') continue;
        if (declared === null) {
          if (headLength >= limit) break; // not IDX: enough to say what it is
          continue;
        }
        if (declared > maxBytes) {
          throw namedError('LimitError', `${name}: its header declares ${mb(declared)}, more than the limit of ${mb(maxBytes)}`);
        }
        limit = declared;
        if (headLength > limit) throw beyond(name, limit);
        out = new Uint8Array(limit);
        out.set(head.subarray(0, headLength));
        continue;
      }
      if (total + value.length > limit) throw beyond(name, limit);
      out.set(value, total);
      total += value.length;
    }
  } catch (err) {
    await reader.cancel().catch(() => undefined);
    const e = err as Error;
    if (e.name === 'FormatError' || e.name === 'LimitError') throw e;
    throw formatError(
      gzip
        ? `${name}: corrupt gzip data — the file is truncated or damaged; download it again (${e.message})`
        : `${name}: reading the file failed (${e.message})`,
    );
  }
  await reader.cancel().catch(() => undefined);
  if (!out) return head.slice(0, Math.min(headLength, limit));
  return total === out.length ? out : out.slice(0, total); // short: the engine says truncated
}

function beyond(name: string, declared: number): Error {
  return formatError(
    `${name}: holds more than the ${declared.toLocaleString('en')} bytes its header declares (trailing data, or a decompression bomb); refusing it`,
  );
}

function mb(bytes: number): string {
  return `${Math.round(bytes / 1048576).toLocaleString('en')} MB`;
}
