// A data set's four files from where the person chose them (File, URL, bytes) to inflated IDX
// bytes: each file is transferred and inflated once (readIdx), the source bytes are reported as
// they arrive, and a wrong kind of file is named from its first bytes. Runs in the worker (no
// DOM); the engine parses what this returns.
import type { DatasetSpec } from '../worker/protocol';
import { formatError } from './errors';
import { ROLE_NAMES, ROLES, STANDARD_NAMES, type Role } from './file-match';
import { readIdx } from './inflate';
import { isGzip, sniffKind } from './sniff';

/** One file: a File or Blob the person picked, a URL, or its bytes. */
export type FileSource = Blob | string | Uint8Array;
export type Files<T> = Record<Role, T>;

/** Source bytes read so far, of a total known when every file's size is. */
export interface LoadProgress {
  loaded: number;
  total: number | null;
}

interface Opened {
  stream: ReadableStream<Uint8Array>;
  size: number | null;
}

/** Fetches a URL, with messages for the ways it goes wrong (CORS, HTTP status, an HTML page). */
export async function openUrl(url: string, name: string): Promise<Opened> {
  let res: Response;
  try {
    res = await fetch(url, { mode: 'cors' });
  } catch {
    throw formatError(
      `${name}: could not fetch ${url} — the server must be on the same origin as this page or send CORS headers (Access-Control-Allow-Origin), or the network is down`,
    );
  }
  if (!res.ok) {
    await res.body?.cancel().catch(() => undefined);
    throw formatError(`${name}: HTTP ${res.status} for ${url}`);
  }
  // A server that answers every path with its home or error page (status 200).
  if (/^text\/html/i.test(res.headers.get('content-type') ?? '')) {
    await res.body?.cancel().catch(() => undefined);
    throw formatError(`${name}: ${url} answered with a web page (HTML), not the data file — is the address right?`);
  }
  const length = Number(res.headers.get('content-length'));
  // With a Content-Encoding the length counts encoded bytes, not the ones the body yields.
  const size = length > 0 && !res.headers.get('content-encoding') ? length : null;
  return { stream: res.body ?? new Blob([]).stream(), size };
}

/** A folder holding the four standard files: NAME.gz, else NAME. */
export async function openInFolder(folder: string, role: Role): Promise<Opened & { url: string }> {
  const name = ROLE_NAMES[role];
  const gz = new URL(`${STANDARD_NAMES[role]}.gz`, folder).href;
  try {
    return { ...(await openUrl(gz, name)), url: gz };
  } catch (gzErr) {
    const raw = new URL(STANDARD_NAMES[role], folder).href;
    try {
      return { ...(await openUrl(raw, name)), url: raw };
    } catch (rawErr) {
      // Both spellings failed: report both ("HTTP 404 for …gz; HTTP 404 for …").
      const detail = (e: unknown) => (e as Error).message.replace(`${name}: `, '');
      const [a, b] = [detail(gzErr), detail(rawErr)];
      const reason = ' — the server must';
      if (a.includes(reason) && b.includes(reason)) {
        // The same refusal twice: name both addresses once.
        throw formatError(`${name}: ${a.slice(0, a.indexOf(reason))} or ${b.slice('could not fetch '.length)}`);
      }
      throw formatError(`${name}: ${a}; ${b}`);
    }
  }
}

function open(source: FileSource, name: string): Promise<Opened> | Opened {
  if (typeof source === 'string') return openUrl(source, name);
  const blob = source instanceof Uint8Array ? new Blob([source as Uint8Array<ArrayBuffer>]) : source;
  return { stream: blob.stream(), size: blob.size };
}

/** Progress over the four files, at most every `everyMs` and once at the end. */
function progressSum(sizes: (number | null)[], onProgress: ((p: LoadProgress) => void) | undefined, everyMs = 100) {
  const total = sizes.every((s) => s !== null) ? sizes.reduce<number>((a, b) => a + b!, 0) : null;
  let loaded = 0;
  let last = 0;
  return {
    add(n: number) {
      loaded += n;
      const t = performance.now();
      if (onProgress && t - last >= everyMs) {
        last = t;
        onProgress({ loaded, total });
      }
    },
    done: () => onProgress?.({ loaded, total: total ?? loaded }),
  };
}

/** Checks what inflating gave before the engine parses it, naming a wrong kind of file. */
function checkKind(bytes: Uint8Array, name: string): void {
  if (bytes.length === 0) throw formatError(`${name}: the file is empty (0 bytes); choose the IDX file itself`);
  if (isGzip(bytes)) throw formatError(`${name}: still gzip-compressed after inflating it once (decompress it first)`);
  const kind = sniffKind(bytes);
  if (kind) throw formatError(`${name}: not an IDX file — this is ${kind}`);
}

/** The inflated bytes of the four files, and how messages name each. */
export interface ReadDataSet {
  bytes: Files<Uint8Array>;
  /** "training images (train-images-idx3-ubyte.gz)" for a picked file, else the role. */
  names: Files<string>;
}

/** Reads the four files at once. */
export async function readFiles(files: Files<FileSource | Promise<Opened>>, onProgress?: (p: LoadProgress) => void): Promise<ReadDataSet> {
  const label = (r: Role): string => {
    const f = files[r];
    return typeof File !== 'undefined' && f instanceof File ? `${ROLE_NAMES[r]} (${f.name})` : ROLE_NAMES[r];
  };
  const opened = await Promise.all(
    ROLES.map((r) => {
      const f = files[r];
      return f instanceof Promise ? f : open(f, label(r));
    }),
  );
  const progress = progressSum(
    opened.map((o) => o.size),
    onProgress,
  );
  const bytes = await Promise.all(
    ROLES.map(async (r, i) => {
      const b = await readIdx(opened[i]!.stream, { name: label(r), onBytes: (n) => progress.add(n) });
      checkKind(b, label(r));
      return b;
    }),
  );
  progress.done();
  const byRole = <T>(values: T[]) => Object.fromEntries(ROLES.map((r, i) => [r, values[i]])) as Files<T>;
  return { bytes: byRole(bytes), names: byRole(ROLES.map(label)) };
}

/** The four standard files in a folder URL (NAME.gz or NAME), read at once. */
export async function readFolder(folder: string, onProgress?: (p: LoadProgress) => void): Promise<ReadDataSet> {
  const base = folder.endsWith('/') ? folder : `${folder}/`;
  const opened = Object.fromEntries(ROLES.map((r) => [r, openInFolder(base, r)])) as Files<Promise<Opened & { url: string }>>;
  // All four are opened (or refused) before any is read: one refusal stops the rest.
  const settled = await Promise.allSettled(ROLES.map((r) => opened[r]));
  const failed = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
  if (failed) {
    for (const s of settled) if (s.status === 'fulfilled') await s.value.stream.cancel().catch(() => undefined);
    throw failed.reason;
  }
  return readFiles(opened, onProgress);
}

/** Where a bundled set's files are: <base>data/<id>/{train,t10k}-{images-idx3,labels-idx1}-ubyte.gz. */
export function bundledFiles(id: string, base: string): Files<string> {
  const root = new URL(`data/${id}/`, new URL(base, (globalThis as { location?: { href: string } }).location?.href ?? 'file:///'));
  return Object.fromEntries(ROLES.map((r) => [r, new URL(`${STANDARD_NAMES[r]}.gz`, root).href])) as Files<string>;
}

/** A data set read from where the spec says, named for the engine and for messages. */
export interface ReadSpec extends ReadDataSet {
  name: string;
}

/** Reads what the spec names (bundled set, files, folder URL); `base` is the site's base URL. */
export async function readSpec(spec: DatasetSpec, base: string, onProgress?: (p: LoadProgress) => void): Promise<ReadSpec> {
  if (spec.kind === 'bundled') {
    const id = spec.id ?? 'mnist';
    const read = await readFiles(bundledFiles(id, spec.baseUrl ?? base), onProgress);
    return { ...read, name: id === 'mnist' ? 'MNIST digits (bundled)' : id };
  }
  const read = spec.kind === 'folder' ? await readFolder(spec.url, onProgress) : await readFiles(spec.files, onProgress);
  return { ...read, name: spec.name };
}
