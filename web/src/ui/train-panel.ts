// Train / Pause / Resume / Step / Stop / New model and the progress bar (epoch, batch,
// samples/s, ETA). Which buttons work follows the session phase; the Train button's label says
// whether it continues the current weights or builds fresh ones.
import type { Phase } from '../state/session';
import type { Progress } from '../worker/protocol';
import { button, formatDuration, formatLoss, formatNumber, formatPercent, h } from './dom';

export interface TrainActions {
  train(): void;
  pause(): void;
  resume(): void;
  step(): void;
  stop(): void;
  reset(): void;
}

/** What Train will do: first model, go on training the current one, or replace it. */
export type TrainIntent = 'first' | 'continue' | 'fresh';

export const TRAIN_LABELS: Record<TrainIntent, string> = {
  first: 'Train',
  continue: 'Continue training',
  fresh: 'Train new model',
};

/** Samples/s is shown once a run has trained this long (seconds). */
export const MIN_SPEED_SECONDS = 1;

export interface TrainPanel {
  /** `otherModel`: the settings describe another model than the one the figures are of. */
  setPhase(phase: Phase, canTrain: boolean, why?: string, intent?: TrainIntent, otherModel?: boolean): void;
  setProgress(p: Progress, epochsPlanned: number, firstEpoch: number): void;
  setEpochResult(epoch: number, accuracy: number, loss: number): void;
  clear(): void;
}

export function mountTrainPanel(container: HTMLElement, actions: TrainActions): TrainPanel {
  const trainBtn = button('Train', () => actions.train(), { class: 'primary', 'aria-keyshortcuts': 'Alt+T' });
  const pauseBtn = button('Pause', () => actions.pause());
  const resumeBtn = button('Resume', () => actions.resume(), { class: 'primary' });
  const stepBtn = button('Step', () => actions.step(), { title: 'Train one batch' });
  const stopBtn = button('Stop', () => actions.stop());
  const resetBtn = button('New model', () => actions.reset(), {
    title: 'Throw the current weights away: fresh, untrained weights from the settings (then Train)',
  });
  const buttons = h(
    'div',
    { class: 'button-row', role: 'toolbar', 'aria-label': 'Training' },
    trainBtn,
    pauseBtn,
    resumeBtn,
    stepBtn,
    stopBtn,
    resetBtn,
  );
  const why = h('p', { class: 'why' });

  const bar = h('div', { class: 'progress-fill' });
  let latest: [Progress, number, number] | null = null;
  let frame = 0;
  const track = h(
    'div',
    {
      class: 'progress-track',
      role: 'progressbar',
      'aria-label': 'Training progress',
      'aria-valuemin': 0,
      'aria-valuemax': 100,
      'aria-valuenow': 0,
    },
    bar,
  );
  // The figures belong to the model in the engine. While the settings describe another one
  // (Train would build it), they show '—' so they never name the wrong model; `text` keeps
  // them for when the settings describe the current model again.
  let otherModel = false;
  const stat = (label: string) => {
    // One text node, edited in place and only when its text changes: a figure that stays the
    // same costs no style, layout or paint while training runs.
    const shown = document.createTextNode('—');
    const s = {
      el: h('div', { class: 'stat' }, h('span', { class: 'stat-label' }, label), h('span', { class: 'stat-value' }, shown)),
      text: '—',
      set(text: string) {
        s.text = text;
        const next = otherModel ? '—' : text;
        if (shown.data !== next) shown.data = next;
      },
    };
    return s;
  };
  const epoch = stat('Epoch');
  const batch = stat('Batch');
  const speed = stat('Samples/s');
  const eta = stat('Time left');
  const loss = stat('Loss');
  const acc = stat('Test accuracy');
  acc.el.classList.add('highlight');
  const figures = [epoch, batch, speed, eta, loss, acc];
  container.append(buttons, why, track, h('div', { class: 'stats' }, epoch.el, batch.el, speed.el, eta.el, loss.el, acc.el));

  // Whether focus was in the toolbar last (kept while a disabled button has dropped it to <body>).
  let hadFocus = false;
  buttons.addEventListener('focusin', () => (hadFocus = true));
  document.addEventListener('focusin', (e) => {
    if (!buttons.contains(e.target as Node)) hadFocus = false;
  });
  document.addEventListener('pointerdown', (e) => {
    if (!buttons.contains(e.target as Node)) hadFocus = false;
  });

  document.addEventListener('keydown', (e) => {
    if (e.altKey && (e.key === 't' || e.key === 'T') && !trainBtn.disabled && !trainBtn.hidden) {
      e.preventDefault();
      trainBtn.click();
    }
  });

  return {
    setPhase(phase, canTrain, reason, intent = 'first', settingsNameOther = intent === 'fresh') {
      const running = phase === 'running';
      const paused = phase === 'paused';
      const idle = phase === 'ready';
      trainBtn.hidden = running || paused;
      pauseBtn.hidden = !running;
      resumeBtn.hidden = !paused;
      // Train itself builds the new model: a second "New model" beside it would be the same
      // action under another name.
      resetBtn.hidden = idle && intent === 'fresh';
      const other = idle && intent === 'fresh' && settingsNameOther;
      if (other !== otherModel) {
        otherModel = other;
        for (const st of figures) st.set(st.text);
      }
      container.classList.toggle('other-model', otherModel);
      trainBtn.disabled = !(idle && canTrain);
      stepBtn.disabled = !(idle && canTrain);
      stopBtn.disabled = !(running || paused);
      resetBtn.disabled = !((idle || running || paused) && canTrain);
      pauseBtn.disabled = !running;
      trainBtn.textContent = phase === 'building' ? 'Building…' : TRAIN_LABELS[intent];
      trainBtn.title =
        intent === 'continue'
          ? 'Train the current weights for more epochs'
          : intent === 'fresh'
            ? 'Build fresh weights for the model in the settings (the current ones are replaced)'
            : 'Build the model and train it';
      why.textContent = reason ?? '';
      container.classList.toggle('is-running', running);
      // Keep focus in the toolbar when the control the person used is disabled or swapped for
      // its partner (Train -> Building… (disabled) -> Pause): a disabled button drops focus to
      // <body>, so the toolbar remembers that it had focus and hands it on.
      const active = document.activeElement;
      const lost =
        active === null ||
        active === document.body ||
        (active instanceof HTMLButtonElement && buttons.contains(active) && (active.hidden || active.disabled));
      if (hadFocus && lost) {
        const next = [pauseBtn, resumeBtn, trainBtn, stopBtn].find((b) => !b.hidden && !b.disabled);
        if (next) next.focus();
      }
    },
    setProgress(p, epochsPlanned, firstEpoch) {
      // Progress comes up to 4 times a second: the figures are written once per frame.
      latest = [p, epochsPlanned, firstEpoch];
      if (!frame) frame = requestAnimationFrame(showProgress);
    },
    setEpochResult(_epoch, accuracy) {
      acc.set(formatPercent(accuracy, 2));
    },
    clear() {
      if (frame) cancelAnimationFrame(frame);
      frame = 0;
      bar.style.transform = 'scaleX(0)';
      track.setAttribute('aria-valuenow', '0');
      for (const st of figures) st.set('—');
    },
  };

  function showProgress(): void {
    frame = 0;
    if (!latest) return;
    const [p, epochsPlanned, firstEpoch] = latest;
    const doneEpochs = p.epoch - firstEpoch;
    const planned = Math.max(1, epochsPlanned);
    const fraction = Math.min(1, (doneEpochs + p.batch / Math.max(1, p.batchesPerEpoch)) / planned);
    bar.style.transform = `scaleX(${fraction.toFixed(4)})`;
    track.setAttribute('aria-valuenow', String(Math.round(fraction * 100)));
    track.setAttribute('aria-valuetext', `Epoch ${p.epoch + 1}, batch ${p.batch} of ${p.batchesPerEpoch}`);
    epoch.set(`${p.epoch + 1} / ${firstEpoch + planned}`);
    batch.set(`${p.batch} / ${p.batchesPerEpoch}`);
    // A single Step's speed is mostly start-up cost (one batch reads ~170 samples/s): the figure
    // appears once it covers enough training to mean something.
    speed.set(p.elapsedSeconds >= MIN_SPEED_SECONDS ? formatNumber(Math.round(p.samplesPerSecond)) : '—');
    eta.set(p.etaSeconds > 0 ? formatDuration(p.etaSeconds) : '—');
    loss.set(formatLoss(p.meanLoss));
  }
}
