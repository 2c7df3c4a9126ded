// Save the trained model to a file and load one back (the native CLI's `nn train --save` files
// load too: one format). Shows what the current model is and where it came from.
import type { ModelInfo } from '../worker/protocol';
import { button, formatNumber, h, uid } from './dom';

export interface ModelFilePanel {
  setModel(info: ModelInfo | null, origin?: string): void;
  setBusy(busy: boolean): void;
}

export function mountModelFilePanel(
  container: HTMLElement,
  actions: { save(): void; exportOnnx(): void; load(file: File): void },
): ModelFilePanel {
  const status = h('p', { class: 'panel-note', 'aria-live': 'polite' }, 'No model yet.');
  const saveBtn = button('Save model to a file', () => actions.save());
  const onnxBtn = button('Download .onnx', () => actions.exportOnnx());
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
    h('small', { class: 'hint' }, 'Same format as the native tool: nn train --save model.snmodel, then load it here (or the other way round). The last trained model is also kept in this browser. A loaded model becomes the current one: Continue training trains it further (a file holds the weights only, so its epochs count from 0 here and Adam starts with fresh running averages).'),
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
