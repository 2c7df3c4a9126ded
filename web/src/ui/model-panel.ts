// The model picker: presets (the report's three first), the editable description validated by
// the engine as you type, the loss, the two digits of a two-class model, and the summary table.
import type { LossChoice } from '../state/config';
import { applyLoss, matchPreset, orderPresets, REPORT_PRESETS } from '../state/model-text';
import type { ModelSummary, PresetInfo, ValidateResult } from '../worker/protocol';
import { clear, field, formatNumber, h, uid } from './dom';

/** The description grammar in short; words between backticks are what a person types. */
const GRAMMAR = [
  '`dense 128 relu` — fully connected, with an activation',
  '`conv 8 5x5 relu` — 8 filters of 5×5 (optional `stride 2`, `same`)',
  '`maxpool 2`, `flatten`, `dropout 0.25`, `batchnorm` (per channel after conv, per unit after dense)',
  'activations: `relu sigmoid tanh softmax`',
  '`loss mse` / `bce` / `xent` as the last part (or pick it below)',
];

/** A grammar line as text and <code> nodes. */
function withCode(line: string): (HTMLElement | string)[] {
  return line.split('`').map((part, i) => (i % 2 ? h('code', {}, part) : part));
}

export interface ModelChoice {
  /** Preset name or description text. */
  model: string;
  loss: LossChoice;
  classes: [number, number];
  /** Whether the current description needs two classes. */
  twoClass: boolean;
  /** Whether the description is valid. */
  valid: boolean;
  /** Set when the person just picked this preset from the list. */
  picked?: string;
}

export interface ModelPanel {
  setPresets(presets: PresetInfo[]): void;
  /** Before the engine has listed its presets: shows the chosen one's name, not an empty list. */
  showPending(model: string): void;
  set(model: string, loss: LossChoice, classes: [number, number]): void;
  setLocked(locked: boolean): void;
  /** Validates again (e.g. after the engine started). */
  revalidate(): void;
}

const CUSTOM = '__custom__';
const LOSS_LABELS: Record<LossChoice, string> = {
  auto: 'Automatic (from the output layer)',
  mse: 'Mean squared error',
  bce: 'Binary cross-entropy',
  xent: 'Cross-entropy',
};

export function mountModelPanel(
  container: HTMLElement,
  validate: (description: string) => Promise<ValidateResult>,
  onChange: (choice: ModelChoice) => void,
): ModelPanel {
  let presets: PresetInfo[] = [];
  let classes: [number, number] = [0, 1];
  let twoClass = false;
  let valid = false;

  const select = h('select', { id: uid('preset') });
  const explain = h('p', { class: 'preset-explain', 'aria-live': 'polite' });
  const textarea = h('textarea', {
    id: uid('desc'),
    rows: 3,
    spellcheck: 'false',
    autocapitalize: 'off',
    autocomplete: 'off',
    class: 'mono',
  });
  const descError = h('p', { class: 'field-error', id: uid('desc-err'), 'aria-live': 'polite' });
  const descOk = h('p', { class: 'field-ok', 'aria-live': 'polite' });
  textarea.setAttribute('aria-describedby', `${descError.id}`);
  const lossSelect = h('select', { id: uid('loss') });
  for (const [value, label] of Object.entries(LOSS_LABELS)) lossSelect.append(h('option', { value }, label));

  const digitA = digitSelect('First digit');
  const digitB = digitSelect('Second digit');
  // Hidden until a valid two-class description is known (no "0 vs 0" flash while loading).
  const twoClassBox = h(
    'fieldset',
    { class: 'two-class', hidden: true },
    h('legend', {}, 'Two-class mode: which two digits?'),
    h('div', { class: 'inline' }, digitA.row, h('span', { 'aria-hidden': 'true' }, 'vs'), digitB.row),
  );

  const table = h('table', { class: 'summary-table' });
  const tableWrap = h('div', { class: 'table-wrap', tabindex: 0, role: 'region', 'aria-label': 'Layer summary' }, table);

  const grammar = h(
    'details',
    { class: 'grammar' },
    h('summary', {}, 'How to write a model'),
    h('p', {}, 'Layers separated by ', h('code', {}, '|'), ':'),
    h('ul', {}, ...GRAMMAR.map((line) => h('li', {}, ...withCode(line)))),
  );

  // The description, loss and layer table fold away; an invalid description opens them.
  const more = h(
    'details',
    { class: 'more' },
    h('summary', {}, 'Layers, description and loss'),
    field('Description', textarea),
    descOk,
    grammar,
    field('Loss', lossSelect, 'Where it applies: cross-entropy needs a softmax output, binary cross-entropy one sigmoid unit.'),
    tableWrap,
  );
  container.append(field('Model', select), explain, twoClassBox, descError, more);

  function digitSelect(label: string): { row: HTMLElement; el: HTMLSelectElement } {
    const el = h('select', { id: uid('digit') });
    for (let d = 0; d < 10; d++) el.append(h('option', { value: d }, String(d)));
    el.addEventListener('change', () => {
      const a = Number(digitA.el.value);
      const b = Number(digitB.el.value);
      if (a === b) {
        // Keep the two different: move the other one.
        const other = el === digitA.el ? digitB.el : digitA.el;
        other.value = String((a + 1) % 10);
      }
      classes = [Number(digitA.el.value), Number(digitB.el.value)];
      emit();
    });
    return { row: field(label, el), el };
  }

  function renderPresets(): void {
    clear(select);
    const ordered = orderPresets(presets);
    const report = h('optgroup', { label: 'From the report' });
    const more = h('optgroup', { label: 'More models' });
    for (const p of ordered) {
      (REPORT_PRESETS.includes(p.name) ? report : more).append(h('option', { value: p.name }, p.name));
    }
    if (report.children.length) select.append(report);
    if (more.children.length) select.append(more);
    select.append(h('option', { value: CUSTOM }, 'Custom (edit the description)'));
  }

  function syncSelect(): void {
    const p = matchPreset(textarea.value, presets);
    select.value = p ? p.name : CUSTOM;
    explain.textContent = p
      ? `${REPORT_PRESETS.includes(p.name) ? 'From the report. ' : ''}${p.summary}`
      : 'Your own model: edit the description; it is checked as you type.';
  }

  function current(): string {
    return matchPreset(textarea.value, presets)?.name ?? textarea.value.trim();
  }

  let picked: string | undefined;
  function emit(): void {
    onChange({ model: current(), loss: lossSelect.value as LossChoice, classes, twoClass, valid, picked });
    picked = undefined;
  }

  let seq = 0;
  let timer = 0;
  async function runValidate(): Promise<void> {
    const mine = ++seq;
    const text = textarea.value.trim();
    if (!text) {
      showError('Type a model description, or pick a model above.');
      return;
    }
    let result: ValidateResult;
    try {
      result = await validate(applyLoss(text, lossSelect.value as LossChoice));
    } catch (err) {
      if (mine === seq) showError(`Could not check the description: ${(err as Error).message}`);
      return;
    }
    if (mine !== seq) return; // a newer edit is being checked
    if (result.ok) {
      valid = true;
      const p = matchPreset(text, presets);
      twoClass = result.summary.classes === 2 || (p?.twoClass ?? false);
      textarea.removeAttribute('aria-invalid');
      descError.textContent = '';
      descOk.textContent = `✓ ${formatNumber(result.summary.params)} parameters, ${formatNumber(result.summary.flops)} FLOPs per image, loss ${result.summary.loss}.`;
      renderSummary(result.summary);
    } else {
      showError(result.error);
    }
    twoClassBox.hidden = !twoClass;
    emit();
  }

  function showError(message: string): void {
    valid = false;
    more.open = true;
    textarea.setAttribute('aria-invalid', 'true');
    descError.textContent = message;
    descOk.textContent = '';
    table.classList.add('stale');
    emit();
  }

  function renderSummary(s: ModelSummary): void {
    table.classList.remove('stale');
    clear(table);
    table.append(
      h('caption', {}, 'Layers, output shape per image, parameters and FLOPs (forward, per image)'),
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          h('th', { scope: 'col' }, 'Layer'),
          h('th', { scope: 'col' }, 'Output'),
          h('th', { scope: 'col', class: 'num' }, 'Params'),
          h('th', { scope: 'col', class: 'num' }, 'FLOPs'),
        ),
      ),
    );
    const body = h('tbody');
    body.append(
      h(
        'tr',
        { class: 'input-row' },
        h('td', {}, 'input'),
        h('td', {}, '28×28×1'),
        h('td', { class: 'num' }, '—'),
        h('td', { class: 'num' }, '—'),
      ),
    );
    for (const l of s.layers) {
      body.append(
        h(
          'tr',
          {},
          h(
            'td',
            {},
            h(
              'code',
              {},
              l.kind === 'conv' || l.kind === 'dense' || l.kind === 'maxpool'
                ? l.text.replace(/\s+(relu|sigmoid|tanh|softmax)$/i, '')
                : l.kind,
            ),
          ),
          h('td', {}, l.shape.join('×')),
          h('td', { class: 'num' }, l.params ? formatNumber(l.params) : '—'),
          h('td', { class: 'num' }, l.flops ? formatNumber(l.flops) : '—'),
        ),
      );
    }
    table.append(
      body,
      h(
        'tfoot',
        {},
        h(
          'tr',
          {},
          h('th', { scope: 'row' }, 'Total'),
          h('td', {}, `loss ${s.loss}`),
          h('td', { class: 'num' }, formatNumber(s.params)),
          h('td', { class: 'num' }, formatNumber(s.flops)),
        ),
      ),
    );
  }

  select.addEventListener('change', () => {
    const p = presets.find((x) => x.name === select.value);
    if (p) {
      textarea.value = p.description;
      lossSelect.value = 'auto';
      picked = p.name;
    }
    syncSelect();
    void runValidate();
    if (!p) {
      more.open = true;
      textarea.focus();
    }
  });
  textarea.addEventListener('input', () => {
    syncSelect();
    clearTimeout(timer);
    timer = window.setTimeout(() => void runValidate(), 200);
  });
  lossSelect.addEventListener('change', () => void runValidate());

  return {
    showPending(model) {
      if (presets.length) return;
      const short = model.length > 40 ? `${model.slice(0, 40)}…` : model;
      select.replaceChildren(h('option', { value: model }, short));
      select.value = model;
      explain.textContent = 'Starting the engine…';
    },
    setPresets(next) {
      presets = next;
      const text = textarea.value;
      renderPresets();
      textarea.value = text;
      syncSelect();
    },
    set(model, loss, next) {
      const p = presets.find((x) => x.name === model);
      textarea.value = p ? p.description : model;
      lossSelect.value = loss;
      classes = [...next];
      digitA.el.value = String(next[0]);
      digitB.el.value = String(next[1]);
      syncSelect();
      void runValidate();
    },
    setLocked(locked) {
      for (const el of container.querySelectorAll<HTMLSelectElement | HTMLTextAreaElement>('select, textarea')) el.disabled = locked;
    },
    revalidate: () => void runValidate(),
  };
}
