// The whole training setup as one value, and its round trip through the page URL, so that a
// link reproduces an experiment. The defaults, the limits and each preset's recommended settings
// are the engine's (EngineSettings, from the worker once at start): a link writes only the values
// that differ from what its model would train with anyway (the engine's defaults, then the
// preset's settings), which keeps shared links short. Anything unreadable in a link falls back
// and is reported, never thrown.

import type { WasmDefaults, WasmLimits, WasmPresetSettings } from '../../../wasm/scratchnet';
import type { OptimizerName, ScheduleKind } from '../worker/protocol';

export type { OptimizerName, ScheduleKind };
export type LossChoice = 'auto' | 'mse' | 'bce' | 'xent';

/** The data set the data index (data/index.json) names as its default: full MNIST. */
export const DEFAULT_DATA = 'default';

export interface TrainConfig {
  /** Data set id: DEFAULT_DATA, a listed set ("full-mnist", "mnist" (the small set),
   * "fashion"), "files" (dropped), or "url". */
  data: string;
  /** Folder URL when data is "url". */
  dataUrl: string;
  /** A preset name ("lenet") or a model description. */
  model: string;
  /** The two digits for a two-class model (cnn-binary). */
  classes: [number, number];
  optimizer: OptimizerName;
  learningRate: number;
  /** How the learning rate moves over the run (per batch). */
  schedule: ScheduleKind;
  batchSize: number;
  epochs: number;
  loss: LossChoice;
  seed: number;
  /** 0 = as many as the machine offers. */
  threads: number;
  augment: boolean;
}

/** What the engine says about training (core's defaults.h and preset_settings.cpp): its
 * defaults, the ranges a person may ask for, and each preset's recommended settings. */
export interface EngineSettings {
  defaults: WasmDefaults;
  limits: WasmLimits;
  /** By preset name. */
  presets: Readonly<Record<string, WasmPresetSettings>>;
}

/** The number fields a person types, each with the engine's range. */
export type NumberField = 'learningRate' | 'batchSize' | 'epochs' | 'seed' | 'threads';

/** The page's configuration when nothing is chosen: the engine's defaults. */
export function defaultConfig(engine: EngineSettings): TrainConfig {
  const d = engine.defaults;
  return {
    data: DEFAULT_DATA,
    dataUrl: '',
    model: d.model,
    classes: [d.twoClasses[0], d.twoClasses[1]],
    optimizer: pageOptimizer(d.optimizer),
    learningRate: d.learningRate,
    schedule: 'constant', // the engine's trainer keeps its rate unless given a schedule
    batchSize: d.batchSize,
    epochs: d.epochs,
    loss: 'auto',
    seed: d.seed,
    threads: d.threads,
    augment: d.augment,
  };
}

/** The training fields the page shows, as preset `name` recommends them (null: not a preset). */
export function presetTraining(name: string, engine: EngineSettings): Partial<TrainConfig> | null {
  const s = Object.hasOwn(engine.presets, name) ? engine.presets[name] : undefined;
  if (!s) return null;
  return {
    optimizer: pageOptimizer(s.optimizer),
    learningRate: s.learningRate,
    schedule: s.schedule.kind,
    batchSize: s.batchSize,
    epochs: s.epochs,
    augment: s.augment.enabled,
  };
}

/** What `model` trains with when nothing else is said: the engine's defaults, then the preset's
 * recommended settings. A link omits the values equal to these. */
export function modelBaseline(model: string, engine: EngineSettings): TrainConfig {
  return { ...defaultConfig(engine), model, ...presetTraining(model, engine) };
}

/** The page offers sgd, momentum and adam; the engine's AdamW shows as Adam (its weight decay
 * travels separately, see session-state's modelConfig). */
function pageOptimizer(name: string): OptimizerName {
  return (OPTIMIZERS as readonly string[]).includes(name) ? (name as OptimizerName) : 'adam';
}

const OPTIMIZERS: readonly OptimizerName[] = ['sgd', 'momentum', 'adam'];
const LOSSES: readonly LossChoice[] = ['auto', 'mse', 'bce', 'xent'];
export const SCHEDULES: readonly ScheduleKind[] = ['constant', 'step', 'cosine', 'onecycle'];

/** URL parameter names: short, stable, documented here once. */
const KEYS = {
  data: 'data',
  dataUrl: 'src',
  model: 'model',
  classes: 'classes',
  optimizer: 'opt',
  learningRate: 'lr',
  schedule: 'sched',
  batchSize: 'batch',
  epochs: 'epochs',
  loss: 'loss',
  seed: 'seed',
  threads: 'threads',
  augment: 'aug',
} as const satisfies Record<keyof TrainConfig, string>;

/** Writes the non-default fields as URL search parameters. */
export function configToSearch(config: TrainConfig, engine: EngineSettings): string {
  const p = new URLSearchParams();
  const d = modelBaseline(config.model, engine);
  if (config.data !== d.data) p.set(KEYS.data, config.data);
  if (config.data === 'url' && config.dataUrl) p.set(KEYS.dataUrl, config.dataUrl);
  if (config.model !== engine.defaults.model) p.set(KEYS.model, config.model);
  if (config.classes[0] !== d.classes[0] || config.classes[1] !== d.classes[1]) {
    p.set(KEYS.classes, `${config.classes[0]},${config.classes[1]}`);
  }
  if (config.optimizer !== d.optimizer) p.set(KEYS.optimizer, config.optimizer);
  if (config.learningRate !== d.learningRate) p.set(KEYS.learningRate, String(config.learningRate));
  if (config.schedule !== d.schedule) p.set(KEYS.schedule, config.schedule);
  if (config.batchSize !== d.batchSize) p.set(KEYS.batchSize, String(config.batchSize));
  if (config.epochs !== d.epochs) p.set(KEYS.epochs, String(config.epochs));
  if (config.loss !== d.loss) p.set(KEYS.loss, config.loss);
  if (config.seed !== d.seed) p.set(KEYS.seed, String(config.seed));
  if (config.threads !== d.threads) p.set(KEYS.threads, String(config.threads));
  if (config.augment !== d.augment) p.set(KEYS.augment, config.augment ? '1' : '0');
  const s = p.toString();
  return s ? `?${s}` : '';
}

export interface ParsedConfig {
  config: TrainConfig;
  /** One line per parameter that was ignored, for a person. */
  warnings: string[];
}

type Complaint = (key: string, value: string, why: string) => void;

/** The data set a link names (DEFAULT_DATA when it names none): known before the engine is,
 * so that the data starts loading at once. */
export function dataFromSearch(search: string, bad: Complaint = () => undefined): Pick<TrainConfig, 'data' | 'dataUrl'> {
  const p = new URLSearchParams(search);
  const out = { data: DEFAULT_DATA, dataUrl: '' };
  const data = p.get(KEYS.data);
  if (data !== null) {
    if (/^[a-z0-9][a-z0-9_-]{0,39}$/i.test(data)) out.data = data;
    else bad(KEYS.data, data, 'not a data set name');
  }
  const src = p.get(KEYS.dataUrl);
  if (src !== null) {
    if (isHttpUrl(src)) out.dataUrl = src;
    else bad(KEYS.dataUrl, src, 'not an http(s) address');
  }
  return out;
}

/** Reads a configuration from URL search parameters. What the link leaves out is what its model
 * trains with (modelBaseline: a preset's recommended settings, else the engine's defaults); a
 * value in the link wins; bad values fall back with a warning. */
export function configFromSearch(search: string, engine: EngineSettings): ParsedConfig {
  const p = new URLSearchParams(search);
  const warnings: string[] = [];
  const bad: Complaint = (key, value, why) => warnings.push(`Ignored ${key}=${value}: ${why}`);

  let modelName = engine.defaults.model;
  const model = p.get(KEYS.model);
  if (model !== null) {
    const trimmed = model.trim();
    if (trimmed.length > 0 && trimmed.length <= 2000) modelName = trimmed;
    else bad(KEYS.model, model.slice(0, 40), 'empty or too long');
  }
  const config: TrainConfig = { ...modelBaseline(modelName, engine), ...dataFromSearch(search, bad) };
  const limits = engine.limits;
  const classes = p.get(KEYS.classes);
  if (classes !== null) {
    const m = /^(\d{1,3}),(\d{1,3})$/.exec(classes);
    const a = m ? Number(m[1]) : NaN;
    const b = m ? Number(m[2]) : NaN;
    if (m && a !== b && a <= 255 && b <= 255) config.classes = [a, b];
    else bad(KEYS.classes, classes, 'expected two different class numbers like 3,8');
  }
  const opt = p.get(KEYS.optimizer);
  if (opt !== null) {
    if ((OPTIMIZERS as readonly string[]).includes(opt)) config.optimizer = opt as OptimizerName;
    else bad(KEYS.optimizer, opt, `expected one of ${OPTIMIZERS.join(', ')}`);
  }
  const sched = p.get(KEYS.schedule);
  if (sched !== null) {
    if ((SCHEDULES as readonly string[]).includes(sched)) config.schedule = sched as ScheduleKind;
    else bad(KEYS.schedule, sched, `expected one of ${SCHEDULES.join(', ')}`);
  }
  const loss = p.get(KEYS.loss);
  if (loss !== null) {
    if ((LOSSES as readonly string[]).includes(loss)) config.loss = loss as LossChoice;
    else bad(KEYS.loss, loss, `expected one of ${LOSSES.join(', ')}`);
  }
  readNumber(p, KEYS.learningRate, limits.learningRate, false, (v) => (config.learningRate = v), bad);
  readNumber(p, KEYS.batchSize, limits.batchSize, true, (v) => (config.batchSize = v), bad);
  readNumber(p, KEYS.epochs, limits.epochs, true, (v) => (config.epochs = v), bad);
  readNumber(p, KEYS.seed, limits.seed, true, (v) => (config.seed = v), bad);
  readNumber(p, KEYS.threads, limits.threads, true, (v) => (config.threads = v), bad);
  const aug = p.get(KEYS.augment);
  if (aug !== null) {
    if (aug === '1' || aug === 'true') config.augment = true;
    else if (aug === '0' || aug === 'false') config.augment = false;
    else bad(KEYS.augment, aug, 'expected 1 or 0');
  }
  return { config, warnings };
}

function readNumber(
  p: URLSearchParams,
  key: string,
  range: { min: number; max: number },
  integer: boolean,
  set: (v: number) => void,
  bad: Complaint,
): void {
  const raw = p.get(key);
  if (raw === null) return;
  const v = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(v)) return bad(key, raw, 'not a number');
  if (integer && !Number.isInteger(v)) return bad(key, raw, 'not a whole number');
  if (v < range.min || v > range.max) return bad(key, raw, `outside ${range.min}..${range.max}`);
  set(v);
}

export function isHttpUrl(text: string): boolean {
  try {
    const u = new URL(text);
    return u.protocol === 'https:' || u.protocol === 'http:';
  } catch {
    return false;
  }
}

/** Checks one field as typed in the form; returns a message or null when fine. */
export function checkNumberField(field: NumberField, value: number, limits: WasmLimits): string | null {
  const range = limits[field];
  if (!Number.isFinite(value)) return 'Enter a number.';
  if (field !== 'learningRate' && !Number.isInteger(value)) return 'Enter a whole number.';
  if (value < range.min || value > range.max) return `Between ${range.min} and ${range.max}.`;
  return null;
}
