import { describe, expect, it } from 'vitest';
import {
  applyLoss,
  matchPreset,
  normalizeDescription,
  orderPresets,
  stripLoss,
} from '../../web/src/state/model-text';

const presets = [
  { name: 'mlp', description: 'dense 128 relu | dense 10 softmax' },
  { name: 'lenet', description: 'conv 6 5x5 relu | maxpool 2 | dense 10 softmax' },
  { name: 'cnn-full', description: 'conv 8 3x3 relu | dense 10 softmax' },
  { name: 'mlp-mse', description: 'dense 64 sigmoid | dense 10 sigmoid | loss mse' },
];

describe('model text glue', () => {
  it('normalises spacing and case', () => {
    expect(normalizeDescription('  Dense 128   relu|dense 10 SOFTMAX | ')).toBe('dense 128 relu | dense 10 softmax');
  });

  it('replaces or keeps the loss segment', () => {
    expect(applyLoss('dense 10 softmax', 'auto')).toBe('dense 10 softmax');
    expect(applyLoss('dense 10 softmax', 'mse')).toBe('dense 10 softmax | loss mse');
    expect(applyLoss('dense 10 sigmoid | loss mse', 'xent')).toBe('dense 10 sigmoid | loss xent');
    expect(stripLoss('loss mse')).toBe('loss mse');
  });

  it('recognises presets by name or text', () => {
    expect(matchPreset('lenet', presets)?.name).toBe('lenet');
    expect(matchPreset('dense 128 relu |dense 10 softmax', presets)?.name).toBe('mlp');
    expect(matchPreset('dense 99 relu', presets)).toBeUndefined();
  });

  it('puts the report presets first, in the report order', () => {
    expect(orderPresets(presets).map((p) => p.name)).toEqual(['mlp-mse', 'cnn-full', 'mlp', 'lenet']);
  });
});
