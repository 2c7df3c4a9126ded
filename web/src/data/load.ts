// One entry point for "the person picked a data set": says what it is called and how the worker
// gets it. The page hands the worker what was chosen (URLs, the picked File objects, a folder
// address); the worker transfers and inflates each file once and the engine parses it.
import type { DatasetSpec } from '../worker/protocol';
import { formatError } from './errors';
import { ROLES, matchFiles, missingRoles } from './file-match';
import { isGzip, sniffKind, SNIFF_BYTES } from './sniff';
import { defaultLabel, FASHION_CLASSES, isClothes, type DataSetInfo } from './sources';

export type DataRequest = { kind: 'listed'; info: DataSetInfo } | { kind: 'files'; files: File[] } | { kind: 'url'; url: string };

export interface DataChoice {
  /** "mnist", "fashion", "files" or "url" (the link's data= value). */
  id: string;
  label: string;
  /** A name per class when known ("Trouser"); otherwise the labels' digits. */
  classNames: string[] | null;
  spec: DatasetSpec;
}

/** A set bundled with the page (data/<id>/), before the index says more about it. */
export function bundledChoice(id: string): DataChoice {
  return { id, label: defaultLabel(id), classNames: isClothes(id) ? FASHION_CLASSES : null, spec: { kind: 'bundled', id } };
}

/** What the worker should load for a request; refuses a request that cannot be right. */
export async function dataChoice(req: DataRequest, indexUrl: URL): Promise<DataChoice> {
  if (req.kind === 'listed') {
    const abs = (u: string) => new URL(u, indexUrl).href;
    const files = Object.fromEntries(ROLES.map((r) => [r, abs(req.info.files[r])])) as Record<(typeof ROLES)[number], string>;
    return {
      id: req.info.id,
      label: req.info.label,
      classNames: req.info.classNames,
      spec: { kind: 'files', name: req.info.label, files },
    };
  }
  if (req.kind === 'files') return filesChoice(req.files);
  let base: URL;
  try {
    base = new URL(req.url.endsWith('/') ? req.url : `${req.url}/`, location.href);
  } catch {
    throw formatError(`"${req.url}" is not a web address`);
  }
  if (base.protocol !== 'https:' && base.protocol !== 'http:') throw formatError('Only http(s) addresses can be loaded');
  const label = `Files from ${base.host}`;
  return {
    id: 'url',
    label,
    classNames: isClothes(base.pathname) ? FASHION_CLASSES : null,
    spec: { kind: 'folder', name: label, url: base.href },
  };
}

/** The four files from a drop or a file picker (any order, raw or .gz). */
async function filesChoice(files: readonly File[]): Promise<DataChoice> {
  const m = matchFiles(files);
  const missing = missingRoles(m.assigned);
  if (missing.length > 0) {
    // A zip (or an image, a web page…) instead of the four files: say what it is.
    for (const f of m.unknown) {
      const head = new Uint8Array(await f.slice(0, SNIFF_BYTES).arrayBuffer());
      const kind = isGzip(head) ? null : sniffKind(head);
      if (kind) throw formatError(`${f.name}: not an IDX file — this is ${kind}`);
    }
    const got = files.map((f) => f.name).join(', ') || 'no files';
    throw formatError(
      `Missing ${missing.join(', ')}. Expected the four standard files (train-images-idx3-ubyte, train-labels-idx1-ubyte, t10k-images-idx3-ubyte, t10k-labels-idx1-ubyte, optionally .gz); got ${got}.`,
    );
  }
  const name = m.assigned.trainImages!.name;
  const label = isClothes(name) ? 'Fashion-MNIST (your files)' : /emnist/i.test(name) ? 'EMNIST (your files)' : 'Your IDX files';
  const picked = Object.fromEntries(ROLES.map((r) => [r, m.assigned[r]!])) as Record<(typeof ROLES)[number], File>;
  return {
    id: 'files',
    label,
    classNames: isClothes(name) ? FASHION_CLASSES : null,
    spec: { kind: 'files', name: label, files: picked },
  };
}

/** Training images shown in the data panel's strip: `n` spread over the set. */
export function stripIndices(count: number, n = 16): number[] {
  const step = Math.max(1, Math.floor(count / n));
  return Array.from({ length: Math.min(n, count) }, (_, k) => (k * step + k * 7) % count);
}

/** Class names for `classes` labels: the set's own when it has enough, else the digits. */
export function classNamesFor(known: string[] | null, classes: number): string[] {
  return known && known.length >= classes ? known : Array.from({ length: classes }, (_, i) => String(i));
}
