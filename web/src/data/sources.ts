// Where data sets come from: the bundled files listed in data/index.json (MNIST digits, and
// Fashion-MNIST when the build found it), files the person drops or picks, and a folder URL.
// Every source ends in the same LoadedDataSet: decompressed, parsed and cross-checked, so a
// bad file is refused here with a message and the current data set stays loaded.
import { DataFormatError, ROLE_NAMES, isGzip, maybeGunzip, parseDataSet, sniffKind, type ParsedDataSet, type RawDataSet } from './idx';
import { STANDARD_NAMES, matchFiles, missingRoles, type Role } from './file-match';

export interface DataSetInfo {
  id: string;
  label: string;
  /** One line for a person. */
  note: string;
  /** URL (relative to the index) of each of the four files. */
  files: Record<Role, string>;
  classNames: string[] | null;
}

export interface LoadedDataSet {
  id: string;
  label: string;
  raw: RawDataSet;
  parsed: ParsedDataSet;
  /** A name per class ("Trouser"), or the digits "0".."9". */
  classNames: string[];
}

export const FASHION_CLASSES = [
  'T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat',
  'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot',
];

export type Progress = (message: string) => void;

const ROLES = Object.keys(ROLE_NAMES) as Role[];

/**
 * Reads data/index.json. Tolerant of its exact shape: a list, or {datasets: [...]}, entries
 * with either a `files` map (trainImages / train_images / "train-images") or a `dir`/`path`
 * folder holding the standard names.
 */
export function parseIndex(json: unknown): DataSetInfo[] {
  const list: unknown[] = Array.isArray(json)
    ? json
    : isRecord(json) && Array.isArray(json.datasets)
      ? json.datasets
      : isRecord(json)
        ? Object.entries(json).map(([id, v]) => (isRecord(v) ? { id, ...v } : null))
        : [];
  const out: DataSetInfo[] = [];
  for (const entry of list) {
    if (!isRecord(entry)) continue;
    const id = str(entry.id) ?? str(entry.name);
    if (!id) continue;
    const files = filesOf(entry);
    if (!files) continue;
    const classNames = Array.isArray(entry.classes) && entry.classes.every((c) => typeof c === 'string')
      ? (entry.classes as string[])
      : Array.isArray(entry.classNames) && entry.classNames.every((c) => typeof c === 'string')
        ? (entry.classNames as string[])
        : /fashion/i.test(id) ? FASHION_CLASSES : null;
    out.push({
      id: normaliseId(id),
      label: str(entry.label) ?? str(entry.title) ?? defaultLabel(id),
      note: str(entry.note) ?? str(entry.description) ?? countsNote(entry),
      files,
      classNames,
    });
  }
  return out;
}

function normaliseId(id: string): string {
  if (/fashion/i.test(id)) return 'fashion';
  if (/^mnist/i.test(id)) return 'mnist';
  return id.toLowerCase().replace(/[^a-z0-9_-]/g, '-');
}

function defaultLabel(id: string): string {
  if (/fashion/i.test(id)) return 'Fashion-MNIST';
  if (/mnist/i.test(id)) return 'MNIST digits (bundled)';
  return id;
}

function countsNote(entry: Record<string, unknown>): string {
  const train = num(entry.train) ?? num(entry.trainCount) ?? num(entry.train_count);
  const test = num(entry.test) ?? num(entry.testCount) ?? num(entry.test_count);
  return train && test ? `${train.toLocaleString('en')} training, ${test.toLocaleString('en')} test images` : '';
}

function filesOf(entry: Record<string, unknown>): Record<Role, string> | null {
  const f = entry.files;
  if (isRecord(f)) {
    const pick = (role: Role): string | undefined => {
      const snake = role.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
      const kebab = role.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
      return str(f[role]) ?? str(f[snake]) ?? str(f[kebab]);
    };
    const files = Object.fromEntries(ROLES.map((r) => [r, pick(r)]));
    if (ROLES.every((r) => files[r])) return files as Record<Role, string>;
  }
  if (Array.isArray(f)) {
    const m = matchFiles(f.filter((x): x is string => typeof x === 'string').map((name) => ({ name })));
    if (missingRoles(m.assigned).length === 0) {
      const dir = str(entry.dir) ?? str(entry.path) ?? '';
      return Object.fromEntries(ROLES.map((r) => [r, join(dir, m.assigned[r]!.name)])) as Record<Role, string>;
    }
  }
  const dir = str(entry.dir) ?? str(entry.path);
  if (dir) {
    return Object.fromEntries(ROLES.map((r) => [r, join(dir, `${STANDARD_NAMES[r]}.gz`)])) as Record<Role, string>;
  }
  return null;
}

function join(dir: string, name: string): string {
  if (!dir) return name;
  return dir.endsWith('/') ? dir + name : `${dir}/${name}`;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
function str(v: unknown): string | undefined {
  return typeof v === 'string' && v.length > 0 ? v : undefined;
}
function num(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}

/** The bundled data sets; MNIST alone when the index cannot be read. */
export async function fetchIndex(indexUrl: URL): Promise<DataSetInfo[]> {
  try {
    const res = await fetch(indexUrl);
    if (!res.ok) throw new Error(String(res.status));
    const sets = parseIndex(await res.json());
    if (sets.length > 0) return sets;
  } catch {
    // fall through to the default layout
  }
  return [
    {
      id: 'mnist',
      label: 'MNIST digits (bundled)',
      note: '8,500 training, 1,500 test images',
      files: Object.fromEntries(ROLES.map((r) => [r, `mnist/${STANDARD_NAMES[r]}.gz`])) as Record<Role, string>,
      classNames: null,
    },
  ];
}

async function fetchBytes(url: URL, name: string): Promise<Uint8Array> {
  let res: Response;
  try {
    res = await fetch(url, { mode: 'cors' });
  } catch {
    throw new DataFormatError(
      `${name}: could not fetch ${url.href} — the server must be on the same origin as this page or send CORS headers (Access-Control-Allow-Origin), or the network is down`,
    );
  }
  if (!res.ok) throw new DataFormatError(`${name}: HTTP ${res.status} for ${url.href}`);
  // A server that answers every path with its home or error page (status 200).
  if (/^text\/html/i.test(res.headers.get('content-type') ?? '')) {
    throw new DataFormatError(`${name}: ${url.href} answered with a web page (HTML), not the data file — is the address right?`);
  }
  return new Uint8Array(await res.arrayBuffer());
}

async function finish(
  id: string,
  label: string,
  bytes: Record<Role, Uint8Array>,
  classNames: string[] | null,
  progress: Progress,
  fileNames?: Record<Role, string>,
): Promise<LoadedDataSet> {
  progress('Decompressing…');
  const raw = {} as RawDataSet;
  const nameOf = (r: Role) => (fileNames ? `${ROLE_NAMES[r]} (${fileNames[r]})` : ROLE_NAMES[r]);
  for (const r of ROLES) raw[r] = await maybeGunzip(bytes[r], nameOf(r));
  progress('Checking the files…');
  let parsed: ParsedDataSet;
  try {
    parsed = parseDataSet(raw);
  } catch (err) {
    // parseDataSet names files by role; add the file's own name where there is one.
    if (err instanceof DataFormatError && fileNames) {
      for (const r of ROLES) {
        if (err.message.startsWith(`${ROLE_NAMES[r]}:`)) {
          throw new DataFormatError(nameOf(r) + err.message.slice(ROLE_NAMES[r].length));
        }
      }
    }
    throw err;
  }
  const names = classNames && classNames.length >= parsed.classes
    ? classNames
    : Array.from({ length: parsed.classes }, (_, i) => String(i));
  return { id, label, raw, parsed, classNames: names };
}

export async function loadFromIndex(info: DataSetInfo, indexUrl: URL, progress: Progress): Promise<LoadedDataSet> {
  progress(`Loading ${info.label}…`);
  const entries = await Promise.all(
    ROLES.map(async (r) => [r, await fetchBytes(new URL(info.files[r], indexUrl), ROLE_NAMES[r])] as const),
  );
  return finish(info.id, info.label, Object.fromEntries(entries) as Record<Role, Uint8Array>, info.classNames, progress);
}

/** The four files from a drop or a file picker (any order, raw or .gz). */
export async function loadFromFiles(files: readonly File[], progress: Progress): Promise<LoadedDataSet> {
  const m = matchFiles(files);
  const missing = missingRoles(m.assigned);
  if (missing.length > 0) {
    // A zip (or an image, a web page…) instead of the four files: say what it is.
    for (const f of m.unknown) {
      const head = new Uint8Array(await f.slice(0, 512).arrayBuffer());
      const kind = isGzip(head) ? null : sniffKind(head);
      if (kind) throw new DataFormatError(`${f.name}: not an IDX file — this is ${kind}`);
    }
    const got = files.map((f) => f.name).join(', ') || 'no files';
    throw new DataFormatError(
      `Missing ${missing.join(', ')}. Expected the four standard files (train-images-idx3-ubyte, train-labels-idx1-ubyte, t10k-images-idx3-ubyte, t10k-labels-idx1-ubyte, optionally .gz); got ${got}.`,
    );
  }
  progress('Reading files…');
  const entries = await Promise.all(
    ROLES.map(async (r) => [r, new Uint8Array(await m.assigned[r]!.arrayBuffer())] as const),
  );
  const name = m.assigned.trainImages!.name;
  const label = /fashion/i.test(name) ? 'Fashion-MNIST (your files)' : /emnist/i.test(name) ? 'EMNIST (your files)' : 'Your IDX files';
  const fileNames = Object.fromEntries(ROLES.map((r) => [r, m.assigned[r]!.name])) as Record<Role, string>;
  return finish('files', label, Object.fromEntries(entries) as Record<Role, Uint8Array>, /fashion/i.test(name) ? FASHION_CLASSES : null, progress, fileNames);
}

/**
 * A folder URL holding the four standard files: tries NAME.gz, then NAME, for each. The server
 * must allow cross-origin requests (and, because the page is cross-origin isolated, either be
 * same-origin or send CORS headers).
 */
export async function loadFromUrl(folder: string, progress: Progress): Promise<LoadedDataSet> {
  let base: URL;
  try {
    base = new URL(folder.endsWith('/') ? folder : `${folder}/`, location.href);
  } catch {
    throw new DataFormatError(`"${folder}" is not a web address`);
  }
  if (base.protocol !== 'https:' && base.protocol !== 'http:') {
    throw new DataFormatError('Only http(s) addresses can be loaded');
  }
  progress(`Loading from ${base.host}…`);
  const entries = await Promise.all(
    ROLES.map(async (r) => {
      const name = ROLE_NAMES[r];
      try {
        return [r, await fetchBytes(new URL(`${STANDARD_NAMES[r]}.gz`, base), name)] as const;
      } catch (gzErr) {
        try {
          return [r, await fetchBytes(new URL(STANDARD_NAMES[r], base), name)] as const;
        } catch (rawErr) {
          // Both spellings failed: report both ("HTTP 404 for …gz; HTTP 404 for …").
          const detail = (e: unknown) => (e as Error).message.replace(`${name}: `, '');
          const [a, b] = [detail(gzErr), detail(rawErr)];
          const reason = ' — the server must';
          if (a.includes(reason) && b.includes(reason)) {
            // The same refusal twice: name both addresses once.
            throw new DataFormatError(`${name}: ${a.slice(0, a.indexOf(reason))} or ${b.slice('could not fetch '.length)}`);
          }
          throw new DataFormatError(`${name}: ${a}; ${b}`);
        }
      }
    }),
  );
  const names = /fashion/i.test(base.pathname) ? FASHION_CLASSES : null;
  return finish('url', `Files from ${base.host}`, Object.fromEntries(entries) as Record<Role, Uint8Array>, names, progress);
}
