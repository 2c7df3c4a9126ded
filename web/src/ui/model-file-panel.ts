// Save the trained model to a file and load one back (the native CLI's `nn train --save` files
// load too: one format). Shows what the current model is and where it came from.
import type { OptimizerName } from '../state/config';
import type { ModelInfo } from '../worker/protocol';
import { button, download, formatNumber, h, uid } from './dom';
import { TRAIN_LABELS } from './train-panel';

export interface ModelFilePanel {
  setModel(info: ModelInfo | null, origin?: string): void;
  setBusy(busy: boolean): void;
}

export function mountModelFilePanel(
  container: HTMLElement,
  actions: {
    /** The current model's bytes in `format` (null when there are none). */
    save(format: 'snmodel' | 'onnx'): Promise<Uint8Array | null>;
    /** The downloaded file's name before its extension. */
    fileName(): string;
    load(file: File): void;
  },
): ModelFilePanel {
  const status = h('p', { class: 'panel-note', 'aria-live': 'polite' }, 'No model yet.');
  const saveAs = (format: 'snmodel' | 'onnx') =>
    void actions.save(format).then((bytes) => {
      if (bytes) download(`${actions.fileName()}.${format}`, bytes as BlobPart, 'application/octet-stream');
    });
  const saveBtn = button('Save model to a file', () => saveAs('snmodel'));
  const onnxBtn = button('Download .onnx', () => saveAs('onnx'));
  onnxBtn.title = 'ONNX (opset 13) for onnxruntime, PyTorch and others: input "image" N×1×28×28, pixels 0..1; output "probabilities"';
  // The label is the one tab stop (it opens the picker on Enter/Space), not the hidden input.
  const input = h('input', { type: 'file', id: uid('model-file'), class: 'visually-hidden', tabindex: -1 });
  const loadLabel = h('label', { for: input.id, class: 'button-like', tabindex: 0, role: 'button' }, 'Load a model file…');
  loadLabel.addEventListener('keydown', (e) => {
    if (e.key === 'Enter' || e.key === ' ') {
      e.preventDefault();
      input.click();
    }
  });
  input.addEventListener('change', () => {
    const f = input.files?.[0];
    if (f) actions.load(f);
    input.value = '';
  });
  container.append(
    status,
    h('div', { class: 'button-row' }, saveBtn, onnxBtn, loadLabel, input),
    h(
      'small',
      { class: 'hint' },
      'Same format as the native tool: nn train --save model.snmodel, then load it here (or the other way round). The last trained model is also kept in this browser. A loaded model becomes the current one: Continue training trains it further (a file holds the weights only, so its epochs count from 0 here and Adam starts with fresh running averages).',
    ),
  );
  let busy = false;
  let hasModel = false;
  const sync = () => {
    saveBtn.disabled = busy || !hasModel;
    onnxBtn.disabled = busy || !hasModel;
    input.disabled = busy;
    loadLabel.classList.toggle('disabled', busy);
    loadLabel.setAttribute('aria-disabled', String(busy));
  };
  sync();
  return {
    setModel(info, origin) {
      hasModel = info !== null;
      status.textContent = info
        ? `Current model: ${formatNumber(info.summary.params)} parameters${info.epoch > 0 ? `, ${info.epoch} epoch${info.epoch === 1 ? '' : 's'} trained` : ''}${origin ? ` — ${origin}` : ''}.`
        : 'No model yet.';
      sync();
    },
    setBusy(b) {
      busy = b;
      sync();
    },
  };
}

/** The message after a model file loaded: what it is and what Train does with it. */
export function loadedModelText(fileName: string, info: ModelInfo, optimizer: OptimizerName): string {
  const restart = optimizer === 'sgd' ? '' : ` (${optimizer} starts with fresh running averages: a model file holds the weights only)`;
  return `${fileName}: ${info.summary.description}. ${TRAIN_LABELS.continue} trains these weights further with the training settings${restart}; New model starts over.`;
}
