// The bundled data sets listed in data/index.json (MNIST digits, and Fashion-MNIST when the
// build found it), and what the page knows of a loaded data set. The bytes themselves go
// straight to the worker (data/read.ts there); the page never holds them.
import type { DatasetInfo, Samples } from '../worker/protocol';
import { ROLES, STANDARD_NAMES, matchFiles, missingRoles, type Role } from './file-match';

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
  /** Sizes and counts, as the engine parsed them. */
  info: DatasetInfo;
  /** A name per class ("Trouser"), or the digits "0".."9". */
  classNames: string[];
  /** A few training images for the data panel's strip. */
  samples: Samples;
}

export const FASHION_CLASSES = ['T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot'];

/** Whether a data set holds clothes rather than digits, by its id or name: the page's class
 * names follow it, and so does the engine's augmentation (core's augmentation_for, the same
 * rule: flips for clothes, warps for digits). */
export function isClothes(name: string): boolean {
  return /fashion/i.test(name);
}

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
    const classNames =
      Array.isArray(entry.classes) && entry.classes.every((c) => typeof c === 'string')
        ? (entry.classes as string[])
        : Array.isArray(entry.classNames) && entry.classNames.every((c) => typeof c === 'string')
          ? (entry.classNames as string[])
          : isClothes(id)
            ? FASHION_CLASSES
            : null;
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
  if (isClothes(id)) return 'fashion';
  if (/^mnist/i.test(id)) return 'mnist';
  return id.toLowerCase().replace(/[^a-z0-9_-]/g, '-');
}

export function defaultLabel(id: string): string {
  if (isClothes(id)) return 'Fashion-MNIST';
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

/** The data index: the sets it lists and the one the page opens with. */
export interface DataIndex {
  sets: DataSetInfo[];
  /** The id of the set the index names as `default` (else its first). */
  defaultId: string;
}

/** The set an index names as its `default` (normalised like the ids), else its first. */
export function indexDefault(json: unknown, sets: readonly DataSetInfo[]): string {
  const named = isRecord(json) ? str(json.default) : undefined;
  const id = named !== undefined ? normaliseId(named) : undefined;
  return sets.find((s) => s.id === id)?.id ?? sets[0]?.id ?? 'mnist';
}

/** The bundled data sets; MNIST alone when the index cannot be read. */
export async function fetchIndex(indexUrl: URL): Promise<DataIndex> {
  try {
    const res = await fetch(indexUrl);
    if (!res.ok) throw new Error(String(res.status));
    const json: unknown = await res.json();
    const sets = parseIndex(json);
    if (sets.length > 0) return { sets, defaultId: indexDefault(json, sets) };
  } catch {
    // fall through to the default layout
  }
  return {
    defaultId: 'mnist',
    sets: [
      {
        id: 'mnist',
        label: 'MNIST digits (bundled)',
        note: '8,500 training, 1,500 test images',
        files: Object.fromEntries(ROLES.map((r) => [r, `mnist/${STANDARD_NAMES[r]}.gz`])) as Record<Role, string>,
        classNames: null,
      },
    ],
  };
}
