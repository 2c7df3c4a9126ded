// Optimizer, learning rate and its schedule (with a sketch of the planned rate), batch size,
// epochs, seed, threads and augmentation. The learning rate stays editable while training runs
// (it is applied to the next batch).
import { checkNumberField, type EngineSettings, type OptimizerName, type ScheduleKind, type TrainConfig } from '../state/config';
import { button, field, h } from './dom';

export type SettingsPatch = Partial<
  Pick<TrainConfig, 'optimizer' | 'learningRate' | 'schedule' | 'batchSize' | 'epochs' | 'seed' | 'threads' | 'augment'>
>;

export interface SettingsPanel {
  set(config: TrainConfig): void;
  /** Locks everything except the learning rate (while training runs or is paused). */
  setLocked(locked: boolean): void;
  setThreadLimit(max: number, reason: string): void;
  /** What is wrong with the learning rate typed in, or null when it is valid (and applied). */
  learningRateProblem(): string | null;
  /** Sketches the planned learning rate over the run (evenly spaced batches), or clears it. */
  showPlan(curve: Float32Array | null): void;
  /** Says which distortions augmentation applies to the data set in use (isClothes). */
  setClothes(clothes: boolean): void;
}

const AUGMENT_HINTS = {
  digits: 'Small random shifts, scalings and rotations. Slower to learn, but it is what makes hand-drawn digits work.',
  clothes:
    'Half the images flipped left to right: a mirrored shirt is still a shirt (a mirrored digit is not, so digits get small shifts and rotations instead).',
};

const SCHEDULE_CHOICES: { value: ScheduleKind; label: string; why: string }[] = [
  { value: 'constant', label: 'Constant', why: 'The same rate for every batch.' },
  { value: 'step', label: 'Step decay', why: 'The rate halves after each third of the run (at most once an epoch).' },
  { value: 'cosine', label: 'Cosine', why: 'The rate glides down to zero over the run, like half a cosine wave.' },
  { value: 'onecycle', label: 'One-cycle', why: 'The rate climbs to its peak over the first quarter, then anneals to almost zero.' },
];

/** The plan's sketch: a polyline in a 100 x 24 box. */
const PLAN_W = 100;
const PLAN_H = 24;
const SVG = 'http://www.w3.org/2000/svg';

const OPTIMIZERS: { value: OptimizerName; label: string }[] = [
  { value: 'adam', label: 'Adam' },
  { value: 'momentum', label: 'SGD with momentum' },
  { value: 'sgd', label: 'SGD (plain)' },
];

const LR_PRESETS = [0.0001, 0.0003, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1];

export function mountSettingsPanel(
  container: HTMLElement,
  onChange: (patch: SettingsPatch) => void,
  limits: EngineSettings['limits'],
): SettingsPanel {
  const optimizer = h('select', {});
  for (const o of OPTIMIZERS) optimizer.append(h('option', { value: o.value }, o.label));
  optimizer.addEventListener('change', () => onChange({ optimizer: optimizer.value as OptimizerName }));

  const lrList = h('datalist', { id: 'lr-presets' });
  for (const v of LR_PRESETS) lrList.append(h('option', { value: v }));
  const lr = numberInput('learningRate', { min: limits.learningRate.min, max: limits.learningRate.max, step: 'any', list: 'lr-presets' });
  const lrDown = button('÷3', () => nudgeLr(1 / 3), { class: 'small', 'aria-label': 'Divide the learning rate by 3' });
  const lrUp = button('×3', () => nudgeLr(3), { class: 'small', 'aria-label': 'Multiply the learning rate by 3' });
  const batch = numberInput('batchSize', { min: limits.batchSize.min, max: limits.batchSize.max, step: 1 });
  const epochs = numberInput('epochs', { min: limits.epochs.min, max: limits.epochs.max, step: 1 });
  const seed = numberInput('seed', { min: limits.seed.min, max: limits.seed.max, step: 1 });
  const dice = button(
    'Random',
    () => {
      seed.input.value = String(Math.floor(Math.random() * 100000));
      seed.commit();
    },
    { class: 'small', 'aria-label': 'Pick a random seed' },
  );
  const threads = h('select', {});
  const threadsHint = h('small', { class: 'hint', id: 'threads-hint' });
  threads.setAttribute('aria-describedby', threadsHint.id);
  threads.addEventListener('change', () => onChange({ threads: Number(threads.value) }));
  const schedule = h('select', { id: 'schedule' });
  for (const o of SCHEDULE_CHOICES) schedule.append(h('option', { value: o.value }, o.label));
  const scheduleWhy = h('small', { class: 'hint', id: 'schedule-why' });
  schedule.setAttribute('aria-describedby', scheduleWhy.id);
  schedule.addEventListener('change', () => {
    scheduleWhy.textContent = SCHEDULE_CHOICES.find((o) => o.value === schedule.value)?.why ?? '';
    onChange({ schedule: schedule.value as ScheduleKind });
  });
  const planLine = document.createElementNS(SVG, 'polyline');
  const plan = document.createElementNS(SVG, 'svg');
  plan.setAttribute('viewBox', `0 0 ${PLAN_W} ${PLAN_H}`);
  plan.setAttribute('preserveAspectRatio', 'none');
  plan.setAttribute('class', 'lr-plan');
  plan.setAttribute('role', 'img');
  plan.setAttribute('aria-label', 'The planned learning rate over the run');
  plan.append(planLine);
  const augment = h('input', { type: 'checkbox', id: 'augment' });
  augment.addEventListener('change', () => onChange({ augment: augment.checked }));

  function nudgeLr(f: number): void {
    const v = Number(lr.input.value) * f;
    lr.input.value = String(Number(v.toPrecision(2)));
    lr.commit();
  }

  function numberInput(
    key: 'learningRate' | 'batchSize' | 'epochs' | 'seed',
    attrs: Record<string, string | number>,
  ): { input: HTMLInputElement; error: HTMLElement; commit: () => void } {
    const input = h('input', { type: 'number', inputmode: key === 'learningRate' ? 'decimal' : 'numeric', ...attrs });
    const error = h('small', { class: 'field-error', 'aria-live': 'polite' });
    const commit = () => {
      const v = Number(input.value);
      const problem = input.value.trim() === '' ? 'Enter a number.' : checkNumberField(key, v, limits);
      error.textContent = problem ?? '';
      input.toggleAttribute('aria-invalid', problem !== null);
      if (!problem) onChange({ [key]: v });
    };
    input.addEventListener('change', commit);
    input.addEventListener('input', () => {
      const v = Number(input.value);
      const problem = input.value.trim() === '' ? null : checkNumberField(key, v, limits);
      error.textContent = problem ?? '';
    });
    return { input, error, commit };
  }

  const withError = (row: HTMLElement, error: HTMLElement) => {
    row.append(error);
    return row;
  };

  const lrRow = field('Learning rate', lr.input);
  lrRow.classList.add('lr-row');
  lrRow.append(
    h('span', { class: 'nudge' }, lrDown, lrUp),
    lrList,
    lr.error,
    h('small', { class: 'hint' }, 'Can be changed while training runs.'),
  );

  seed.input.id = 'seed';
  const seedRow = h(
    'div',
    { class: 'field' },
    h('label', { for: 'seed' }, 'Seed'),
    h('div', { class: 'inline' }, seed.input, dice),
    seed.error,
  );

  const augmentHint = h('small', { class: 'hint', id: 'augment-hint' }, AUGMENT_HINTS.digits);
  const augmentRow = h(
    'div',
    { class: 'field checkbox-field' },
    augment,
    h('label', { for: 'augment' }, 'Augment training images'),
    augmentHint,
  );

  const copied = h('span', { class: 'hint', 'aria-live': 'polite' });
  const share = h(
    'div',
    { class: 'share' },
    button(
      'Copy link to this setup',
      async () => {
        copied.textContent = (await copyLink())
          ? 'Copied. Anyone opening it gets the same data, model, settings and seed.'
          : 'Copy the address from the address bar: it holds the whole setup.';
        setTimeout(() => (copied.textContent = ''), 6000);
      },
      { class: 'small' },
    ),
    copied,
  );

  container.append(
    h('div', { class: 'grid-2' }, field('Optimizer', optimizer), withError(field('Epochs', epochs.input), epochs.error)),
    lrRow,
    h(
      'div',
      { class: 'field schedule-row' },
      h('label', { for: schedule.id }, 'Schedule'),
      h('div', { class: 'inline' }, schedule, plan),
      scheduleWhy,
    ),
    h(
      'details',
      { class: 'more' },
      h('summary', {}, 'Batch size, seed, threads, augmentation, link'),
      h('div', { class: 'grid-2' }, withError(field('Batch size', batch.input), batch.error), seedRow),
      h('div', { class: 'field' }, h('label', { for: (threads.id = 'threads') }, 'Threads'), threads, threadsHint),
      augmentRow,
      share,
    ),
  );

  let threadLimit = 1;
  function renderThreads(selected: number): void {
    threads.replaceChildren(h('option', { value: 0 }, threadLimit > 1 ? `Automatic (1-${threadLimit})` : 'Automatic (1)'));
    for (let n = 1; n <= threadLimit; n++) threads.append(h('option', { value: n }, String(n)));
    threads.value = String(Math.min(selected, threadLimit));
  }
  renderThreads(0);

  return {
    set(c) {
      optimizer.value = c.optimizer;
      lr.input.value = String(c.learningRate);
      schedule.value = c.schedule;
      scheduleWhy.textContent = SCHEDULE_CHOICES.find((o) => o.value === c.schedule)?.why ?? '';
      batch.input.value = String(c.batchSize);
      epochs.input.value = String(c.epochs);
      seed.input.value = String(c.seed);
      augment.checked = c.augment;
      renderThreads(c.threads);
    },
    setLocked(locked) {
      for (const el of [optimizer, schedule, batch.input, epochs.input, seed.input, dice, augment, threads]) el.disabled = locked;
    },
    setClothes(clothes) {
      augmentHint.textContent = clothes ? AUGMENT_HINTS.clothes : AUGMENT_HINTS.digits;
    },
    showPlan(curve) {
      const max = curve ? Math.max(...curve) : 0;
      const points: string[] = [];
      if (curve && curve.length > 1 && max > 0) {
        for (let i = 0; i < curve.length; i++) {
          points.push(`${((i / (curve.length - 1)) * PLAN_W).toFixed(1)},${(PLAN_H - 1 - (curve[i]! / max) * (PLAN_H - 2)).toFixed(1)}`);
        }
      }
      planLine.setAttribute('points', points.join(' '));
      plan.dataset.peak = curve ? String(max) : '';
      plan.dataset.last = curve && curve.length ? String(curve[curve.length - 1]) : '';
    },
    learningRateProblem() {
      const v = lr.input.value.trim();
      const problem = v === '' ? 'Enter a number.' : checkNumberField('learningRate', Number(v), limits);
      return problem ? `"${v}": ${problem}` : null;
    },
    setThreadLimit(max, reason) {
      const selected = Number(threads.value) || 0;
      threadLimit = Math.max(1, max);
      renderThreads(selected);
      threadsHint.textContent = reason;
    },
  };
}

/** Puts the page's address (which holds the whole setup) on the clipboard; false when refused. */
async function copyLink(): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(location.href);
    return true;
  } catch {
    return false;
  }
}
