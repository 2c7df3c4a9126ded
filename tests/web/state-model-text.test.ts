import { describe, expect, it } from 'vitest';
import { applyLoss, matchPreset, normalizeDescription, orderPresets, stripLoss } from '../../web/src/state/model-text';

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

describe('model text glue, edge cases', () => {
  it('normalises tabs, runs of spaces and empty segments', () => {
    expect(normalizeDescription('conv\t8  5x5 ||  Dense 10 softmax')).toBe('conv 8 5x5 | dense 10 softmax');
    expect(normalizeDescription(' | ')).toBe('');
  });

  it('strips only a final "loss X" segment, in any case and spacing', () => {
    expect(stripLoss('dense 10 sigmoid |  LOSS   bce ')).toBe('dense 10 sigmoid');
    expect(stripLoss('dense 10 sigmoid | loss')).toBe('dense 10 sigmoid | loss');
    expect(stripLoss('dense 10 sigmoid | loss mse x')).toBe('dense 10 sigmoid | loss mse x');
    expect(stripLoss('dense 10 sigmoid | closs mse')).toBe('dense 10 sigmoid | closs mse');
    expect(stripLoss('loss mse | dense 10 softmax')).toBe('loss mse | dense 10 softmax');
    expect(stripLoss('  dense 10 softmax  ')).toBe('dense 10 softmax');
    expect(applyLoss('  dense 10 softmax  ', 'auto')).toBe('dense 10 softmax');
    expect(applyLoss('dense 1 sigmoid | loss mse', 'bce')).toBe('dense 1 sigmoid | loss bce');
  });

  it('matches a preset name exactly after normalising, and a description in any spacing', () => {
    expect(matchPreset('  LeNet ', presets)?.name).toBe('lenet');
    expect(matchPreset('DENSE 64 sigmoid|dense 10 sigmoid|loss  mse', presets)?.name).toBe('mlp-mse');
    expect(matchPreset('', presets)).toBeUndefined();
  });

  it('keeps the order of presets outside the report, and does not reorder its input', () => {
    const input = [presets[2]!, presets[1]!, presets[0]!];
    expect(orderPresets(input).map((p) => p.name)).toEqual(['cnn-full', 'lenet', 'mlp']);
    expect(input.map((p) => p.name)).toEqual(['cnn-full', 'lenet', 'mlp']);
    const report = [
      { name: 'cnn-full', description: '' },
      { name: 'cnn-binary', description: '' },
      { name: 'x', description: '' },
      { name: 'mlp-mse', description: '' },
    ];
    expect(orderPresets(report).map((p) => p.name)).toEqual(['mlp-mse', 'cnn-binary', 'cnn-full', 'x']);
  });
});
