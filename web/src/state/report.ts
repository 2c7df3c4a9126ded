// "Reproduce the report": the three programs of the student report "Neural Network from
// Scratch" (mnist-MLP, mnist-CNN, mnist-CNN-full) as the presets mlp-mse, cnn-binary and
// cnn-full, trained one after another with each preset's recommended settings (the engine's
// preset table, core/src/description/preset_settings.cpp), and what the report found for each,
// from its text. No DOM here: the page hands in how to configure, train and predict.
import type { RunRecord } from './runs';
import type { TrainConfig } from './config';
import type { PresetInfo } from '../worker/protocol';

export interface ReportProgram {
  /** The report's name for the program. */
  program: string;
  preset: string;
  /** What the report found, in its words and figures. */
  found: string;
}

export const REPORT_PROGRAMS: readonly ReportProgram[] = [
  {
    program: 'mnist-MLP',
    preset: 'mlp-mse',
    found:
      'Failed: error 0.960 after 20 epochs (“Lost after epoch 19: 0.96009215”); 3 of its 20 printed predictions right ' +
      '(pred: 9, true: 7 · pred: 0, true: 2 · pred: 5, true: 5 · pred: 0, true: 0 …). Time not given.',
  },
  {
    program: 'mnist-CNN',
    preset: 'cnn-binary',
    found: 'Predicted well, loss acceptable. Lower loss than CNN-full at the start, higher in the last epoch; ' + 'slower than CNN-full.',
  },
  {
    program: 'mnist-CNN-full',
    preset: 'cnn-full',
    found:
      'Predicted well; the smaller final loss of the two CNNs, and faster than the simple CNN: max-pooling ' +
      'shrinks 24×24 to 12×12 and so the dense layer.',
  },
];

/** The training settings a preset carries (the wasm API lists them with each preset). */
interface PresetWithSettings extends PresetInfo {
  settings?: { optimizer: string; learningRate: number; batchSize: number; epochs: number };
}

/** The page's settings for one program: the preset and its recommended training settings;
 * `maxEpochs` shortens every program (a quick look, the browser test). */
export function programConfig(preset: PresetInfo, base: TrainConfig, maxEpochs?: number): TrainConfig {
  const s = (preset as PresetWithSettings).settings;
  const optimizer = s && ['sgd', 'momentum', 'adam'].includes(s.optimizer) ? (s.optimizer as TrainConfig['optimizer']) : base.optimizer;
  const epochs = s?.epochs ?? base.epochs;
  return {
    ...base,
    model: preset.name,
    loss: 'auto',
    // The report's two digits for its binary CNN.
    classes: preset.twoClass ? [0, 1] : base.classes,
    optimizer,
    learningRate: s?.learningRate ?? base.learningRate,
    batchSize: s?.batchSize ?? base.batchSize,
    epochs: maxEpochs ? Math.min(epochs, maxEpochs) : epochs,
    augment: false,
  };
}

export interface ReportRow extends ReportProgram {
  run: RunRecord;
  /** A few test images: predicted and true label. */
  examples: { predicted: number; label: number }[];
}

export interface ReportDriver {
  presets(): PresetInfo[];
  /** Puts `config` into the page (settings, model panel) and the session. */
  configure(config: TrainConfig, twoClass: boolean): void;
  /** Trains fresh weights with the page's settings; the run as saved (null: nothing trained). */
  train(): Promise<RunRecord | null>;
  /** Predictions for the first `n` test images of the model just trained. */
  examples(n: number): Promise<{ predicted: number; label: number }[]>;
  status(text: string): void;
}

export const EXAMPLES = 6;

/** Trains the three programs in turn; stops early (with the rows so far) when a run is stopped
 * or fails. */
export async function reproduceReport(driver: ReportDriver, base: TrainConfig, maxEpochs?: number): Promise<ReportRow[]> {
  const rows: ReportRow[] = [];
  const presets = driver.presets();
  for (const [i, program] of REPORT_PROGRAMS.entries()) {
    const preset = presets.find((p) => p.name === program.preset);
    if (!preset) throw new Error(`The engine has no preset ${program.preset}.`);
    const config = programConfig(preset, base, maxEpochs);
    driver.status(
      `${i + 1} of ${REPORT_PROGRAMS.length}: training ${program.program} (${program.preset}, ${config.epochs} epoch${config.epochs === 1 ? '' : 's'})…`,
    );
    driver.configure(config, preset.twoClass);
    const run = await driver.train();
    if (!run) break;
    rows.push({ ...program, run, examples: await driver.examples(EXAMPLES) });
    if (run.status !== 'finished') break;
  }
  return rows;
}
