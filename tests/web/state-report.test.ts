// "Reproduce the report" (web/src/state/report.ts): the report's three programs map to engine
// presets that carry settings, each program gets its preset's settings, and the run stops at
// the first program that did not finish.
import { beforeAll, describe, expect, it } from 'vitest';
import { engineDefaultConfig } from './engine-settings';
import { programConfig, REPORT_PROGRAMS, reproduceReport, type ReportDriver } from '../../web/src/state/report';
import type { RunRecord } from '../../web/src/state/runs';
import type { PresetInfo } from '../../web/src/worker/protocol';
import { loadWasm } from './wasm-module';

/** The engine's defaults, as the page starts with them. */
const DEFAULT_CONFIG = await engineDefaultConfig();

let presets: PresetInfo[];
beforeAll(async () => {
  presets = (await loadWasm('simd')).Network.presets();
});

describe('report programs', () => {
  it('are the engine presets the report describes, with their recommended settings', () => {
    expect(REPORT_PROGRAMS.map((p) => p.preset)).toEqual(['mlp-mse', 'cnn-binary', 'cnn-full']);
    const configs = REPORT_PROGRAMS.map((p) =>
      programConfig(
        presets.find((x) => x.name === p.preset)!,
        { ...DEFAULT_CONFIG },
      ),
    );
    expect(configs.map((c) => [c.model, c.optimizer, c.learningRate, c.batchSize, c.epochs])).toEqual([
      ['mlp-mse', 'adam', 0.001, 64, 3],
      ['cnn-binary', 'momentum', 0.05, 64, 1],
      ['cnn-full', 'adam', 0.001, 64, 3],
    ]);
    // The binary CNN trains on the report's two digits; the others on all ten.
    expect(configs[1]!.classes).toEqual([0, 1]);
    expect(configs.every((c) => c.loss === 'auto' && !c.augment)).toBe(true);
  });

  it('caps the epochs for a quick look, never raises them', () => {
    const cnnFull = presets.find((p) => p.name === 'cnn-full')!;
    expect(programConfig(cnnFull, { ...DEFAULT_CONFIG }, 1).epochs).toBe(1);
    expect(programConfig(cnnFull, { ...DEFAULT_CONFIG }, 50).epochs).toBe(3);
  });
});

describe('reproduceReport', () => {
  const run = (status: RunRecord['status']) => ({ id: `r${Math.random()}`, status }) as RunRecord;

  function driver(statuses: RunRecord['status'][]) {
    const trained: string[] = [];
    let current = '';
    const d: ReportDriver = {
      presets: () => presets,
      configure: (c) => void (current = c.model),
      train: async () => {
        trained.push(current);
        return run(statuses[trained.length - 1] ?? 'finished');
      },
      examples: async (n) => Array.from({ length: n }, (_, i) => ({ predicted: i, label: i })),
      status: () => undefined,
    };
    return { d, trained };
  }

  it('trains the three programs in order and gathers examples for each', async () => {
    const { d, trained } = driver(['finished', 'finished', 'finished']);
    const rows = await reproduceReport(d, { ...DEFAULT_CONFIG }, 1);
    expect(trained).toEqual(['mlp-mse', 'cnn-binary', 'cnn-full']);
    expect(rows.map((r) => r.program)).toEqual(['mnist-MLP', 'mnist-CNN', 'mnist-CNN-full']);
    expect(rows.every((r) => r.examples.length === 6)).toBe(true);
  });

  it('stops after a program that was stopped', async () => {
    const { d, trained } = driver(['finished', 'stopped']);
    const rows = await reproduceReport(d, { ...DEFAULT_CONFIG });
    expect(trained).toEqual(['mlp-mse', 'cnn-binary']);
    expect(rows).toHaveLength(2);
  });
});
