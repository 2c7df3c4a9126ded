// The page's IndexedDB database: "runs" (RunRecord by id) and "models" (the last trained
// model, so a reload does not lose it). Falls back to memory when IndexedDB is unavailable.
import { MemoryRunStore, sortRuns, type RunRecord, type RunStore } from './runs';

const DB_NAME = 'scratchnet';
const DB_VERSION = 1;
const RUNS = 'runs';
const MODELS = 'models';

function request<T>(req: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error ?? new Error('IndexedDB request failed'));
  });
}

let dbPromise: Promise<IDBDatabase> | null = null;

export function openDatabase(): Promise<IDBDatabase> {
  if (!dbPromise) {
    dbPromise = new Promise<IDBDatabase>((resolve, reject) => {
      if (typeof indexedDB === 'undefined') {
        reject(new Error('IndexedDB is not available'));
        return;
      }
      const req = indexedDB.open(DB_NAME, DB_VERSION);
      req.onupgradeneeded = () => {
        const db = req.result;
        if (!db.objectStoreNames.contains(RUNS)) db.createObjectStore(RUNS, { keyPath: 'id' });
        if (!db.objectStoreNames.contains(MODELS)) db.createObjectStore(MODELS);
      };
      req.onsuccess = () => resolve(req.result);
      req.onerror = () => reject(req.error ?? new Error('Could not open IndexedDB'));
      req.onblocked = () => reject(new Error('IndexedDB is blocked by another tab'));
    });
    dbPromise.catch(() => (dbPromise = null));
  }
  return dbPromise;
}

async function store(name: string, mode: IDBTransactionMode): Promise<IDBObjectStore> {
  const db = await openDatabase();
  return db.transaction(name, mode).objectStore(name);
}

export class IdbRunStore implements RunStore {
  async list(): Promise<RunRecord[]> {
    return sortRuns(await request((await store(RUNS, 'readonly')).getAll() as IDBRequest<RunRecord[]>));
  }
  async get(id: string): Promise<RunRecord | undefined> {
    return request((await store(RUNS, 'readonly')).get(id) as IDBRequest<RunRecord | undefined>);
  }
  async put(run: RunRecord): Promise<void> {
    await request((await store(RUNS, 'readwrite')).put(run));
  }
  async delete(id: string): Promise<void> {
    await request((await store(RUNS, 'readwrite')).delete(id));
  }
}

/** IndexedDB when it opens, memory otherwise (the page says so). */
export async function createRunStore(): Promise<{ store: RunStore; persistent: boolean }> {
  try {
    await openDatabase();
    return { store: new IdbRunStore(), persistent: true };
  } catch {
    return { store: new MemoryRunStore(), persistent: false };
  }
}

// ---- the last model -------------------------------------------------------------------------

export interface SavedModel {
  /** Model file bytes (core/include/scratchnet/model_file.h). */
  bytes: Uint8Array;
  description: string;
  savedAt: number;
  /** Test accuracy when saved, if known. */
  accuracy: number | null;
  dataLabel: string;
  /** Original label of each output class. */
  classLabels: number[];
  /** The run that trained it last (its record holds the curves), if it trained here. */
  runId?: string;
}

const LAST_MODEL_KEY = 'last';

export async function saveLastModel(model: SavedModel): Promise<void> {
  await request((await store(MODELS, 'readwrite')).put(model, LAST_MODEL_KEY));
}

export async function loadLastModel(): Promise<SavedModel | undefined> {
  try {
    return await request((await store(MODELS, 'readonly')).get(LAST_MODEL_KEY) as IDBRequest<SavedModel | undefined>);
  } catch {
    return undefined;
  }
}
