// Wiring only: creates the worker client, the session and the panels, and connects their
// events. What each part shows lives in ui/; what the buttons mean lives in state/session.ts.
import { fetchIndex } from './data/sources';
import { isClothes } from './data/sources';
import { registerOffline } from './offline';
import { configFromSearch, configToSearch, dataFromSearch, DEFAULT_DATA, type EngineSettings, type TrainConfig } from './state/config';
import { createRunStore } from './state/idb';
import type { RunRecord } from './state/runs';
import { Session } from './state/session';
import { mountCharts } from './ui/charts';
import { mountConfusion } from './ui/confusion';
import { mountDataLoading, startLinkData } from './ui/data-loading';
import { mountDataPanel } from './ui/data-panel';
import { showEngine, threadReason } from './ui/engine-badge';
import { mountMistakesGallery, mountPredictionGallery } from './ui/gallery';
import { describeError, mountMessages } from './ui/messages';
import { keepLastModel, restoreLastModel } from './ui/last-model';
import { loadedModelText, mountModelFilePanel } from './ui/model-file-panel';
import { mountModelPanel } from './ui/model-panel';
import { mountRunsPanel } from './ui/runs-panel';
import { mountSettingsPanel } from './ui/settings-panel';
import { SampleCache } from './ui/tiles';
import { mountTrainPanel } from './ui/train-panel';
import { controlsHint, trainIntent } from './ui/train-hint';
import { mountDrawPanel } from './ui/draw-panel';
import { mountNetworkView } from './ui/network-view';
import { mountReportPanel } from './ui/report-panel';
import { presetPatch } from './ui/preset-settings';
import { TrainingHealth, type Finding } from './ui/training-health';
import { createTrainer } from './worker/client';
import type { ModelInfo } from './worker/protocol';

const $ = (id: string) => {
  const el = document.getElementById(id);
  if (!el) throw new Error(`index.html lacks #${id}`);
  return el;
};
const mount = (name: string) => document.querySelector<HTMLElement>(`[data-mount="${name}"]`)!;

async function main(): Promise<void> {
  const messages = mountMessages($('messages'), $('announcer'));
  const showError = (err: unknown) => {
    const { title, detail } = describeError(err);
    const restarted = err instanceof Error && err.name === 'WorkerRestartedError';
    messages.show(restarted ? 'warning' : 'error', title, detail, restarted ? 'restart' : undefined);
  };
  window.addEventListener('unhandledrejection', (e) => showError(e.reason));

  const api = createTrainer({
    onRestart: (why) =>
      messages.show(
        'warning',
        'The engine crashed and was restarted',
        `${why}. Your data and last model were restored; press Train to go on.`,
        'restart',
      ),
  });
  // What the first screen needs starts now, in parallel: the worker loads the engine (which
  // gives the training defaults, limits and preset settings), the data index arrives (preloaded
  // by index.html), and the link's data set is read by the worker while the engine loads.
  const engineLoad = api.engineSettings();
  const linkData = dataFromSearch(location.search);
  const indexUrl = new URL('data/index.json', document.baseURI);
  const indexLoad = fetchIndex(indexUrl);
  const link = startLinkData(api, linkData.data, indexLoad, indexUrl);
  const [{ store, persistent }, engine] = await Promise.all([
    createRunStore(),
    engineLoad.catch((err: unknown): EngineSettings | null => {
      messages.show('error', 'The engine could not start', `${describeError(err).detail} Reload the page to try again.`);
      return null;
    }),
  ]);
  if (!engine) return;
  // What the link leaves out is what its model trains with: a preset's recommended settings.
  const parsed = configFromSearch(location.search, engine);
  let config: TrainConfig = parsed.config;
  for (const w of parsed.warnings) messages.show('warning', 'Part of the link was not understood', w);
  const writeUrl = () => history.replaceState(null, '', `${location.pathname}${configToSearch(config, engine)}${location.hash}`);
  let modelOrigin = '';
  const session: Session = new Session(api, store, config, (bytes, run) => keepLastModel(session, bytes, run));
  let modelValid = false;
  /** The index's default set (null until the index arrives). */
  let defaultId: string | null = null;

  const setConfig = (patch: Partial<TrainConfig>) => {
    config = { ...config, ...patch };
    session.setConfig(config);
    writeUrl();
    updateControls();
    showPlan();
  };

  /** Sketches the learning rate the settings plan over the run (the engine's own formula). */
  let planAsked = 0;
  function showPlan(): void {
    const asked = ++planAsked;
    if (!session.engine || !session.data) return;
    const batches = session.model?.batchesPerEpoch ?? Math.max(1, Math.ceil(session.data.info.trainCount / config.batchSize));
    api
      .scheduleCurve({ kind: config.schedule, epochs: config.epochs }, config.learningRate, batches, 100)
      .then((curve) => asked === planAsked && settings.showPlan(curve))
      .catch(() => asked === planAsked && settings.showPlan(null));
  }

  // ---- panels ----
  const dataPanel = mountDataPanel($('data-panel'), (req) => void dataLoading.load(req));
  const dataLoading = mountDataLoading({
    link,
    session,
    panel: dataPanel,
    messages,
    indexUrl,
    showError,
    loaded: (data, url) => setConfig({ data: data.id === defaultId ? DEFAULT_DATA : data.id, dataUrl: url }),
    settled: () => updateControls(),
  });
  const modelPanel = mountModelPanel(
    $('model-panel'),
    (d) => api.validate(d),
    (choice) => {
      modelValid = choice.valid;
      session.twoClass = choice.twoClass;
      setConfig({ model: choice.model, loss: choice.loss, classes: choice.classes });
      const change = presetPatch(choice.picked, config, engine);
      if (change) {
        setConfig(change.patch);
        settings.set(config);
        messages.show('info', change.title, change.why);
      }
    },
  );
  modelPanel.showPending(config.model);
  const settings = mountSettingsPanel(
    $('settings-panel'),
    (patch) => {
      setConfig(patch);
      if (patch.learningRate !== undefined) void session.setLearningRate(patch.learningRate);
      if (patch.threads !== undefined) void session.setThreads(patch.threads).then(() => showEngine($('engine-badge'), session.engine));
    },
    engine.limits,
  );
  settings.set(config);
  const trainPanel = mountTrainPanel($('train-panel'), {
    train: () => void session.train(),
    pause: () => void session.pause(),
    resume: () => {
      const problem = settings.learningRateProblem();
      if (problem)
        messages.show(
          'warning',
          `Resumed with learning rate ${config.learningRate}`,
          `The learning rate typed in was not used: ${problem}`,
        );
      void session.resume();
    },
    step: () => void session.step(),
    stop: () => void session.stop(),
    reset: () => void session.reset(),
  });
  const charts = mountCharts($('charts-panel'));
  const cache = new SampleCache(api);
  const gallery = mountPredictionGallery($('predictions-panel'), api, cache);
  const mistakes = mountMistakesGallery($('mistakes-panel'), api, cache);
  const confusion = mountConfusion($('confusion-panel'), api, cache);
  const runsPanel = mountRunsPanel($('runs-panel'), store, persistent, showError);
  const modelFiles = mountModelFilePanel($('model-file-panel'), {
    save: (format) => session.saveModel(format),
    fileName: () => `scratchnet-${session.presetName() ?? 'model'}`,
    load: (file) =>
      void file.arrayBuffer().then(async (buf) => {
        const before = modelOrigin;
        modelOrigin = `loaded from ${file.name}`;
        const info = await session.loadModel(new Uint8Array(buf), undefined, file.name);
        if (!info) {
          modelOrigin = before;
          return;
        }
        // The settings now describe the loaded model, so Train continues its weights.
        showModelInSettings(info);
        messages.show('success', 'Model loaded', loadedModelText(file.name, info, config.optimizer));
      }),
  });
  const drawPanel = mountDrawPanel(mount('draw-panel'), api);
  const networkView = mountNetworkView(mount('network-view'), api);
  void runsPanel.reload();
  let lastSaved: RunRecord | null = null;
  const reportPanel = mountReportPanel($('report-panel'), {
    presets: () => session.presets,
    config: () => config,
    configure: (next, twoClass) => {
      session.twoClass = twoClass;
      setConfig(next);
      modelPanel.set(next.model, next.loss, next.classes);
      settings.set(config);
    },
    train: async () => {
      lastSaved = null;
      await session.reset();
      await session.train();
      return lastSaved;
    },
    examples: async (n) => {
      const p = await api.predictTestSet(Array.from({ length: Math.min(n, session.model?.testCount ?? 0) }, (_, i) => i));
      return Array.from(p.predicted, (predicted, i) => ({ predicted, label: p.labels[i]! }));
    },
    status: () => undefined,
    compare: (ids) => runsPanel.compare(ids),
    error: showError,
  });

  /** Puts a loaded model's description (and digits) into the model settings. */
  function showModelInSettings(info: ModelInfo): void {
    const labels = info.classLabels;
    const classes: [number, number] = labels.length === 2 ? [labels[0]!, labels[1]!] : config.classes;
    modelPanel.set(info.summary.description, 'auto', classes);
  }

  function updateControls(): void {
    const p = session.phase;
    const canTrain = session.data !== null && modelValid;
    const intent = trainIntent(session);
    trainPanel.setPhase(
      p,
      canTrain,
      controlsHint(session, config, modelValid, modelOrigin),
      intent,
      intent === 'fresh' && !session.diverged,
    );
    reportPanel.setReady(session.data !== null && p === 'ready');
    const locked = session.busy;
    modelPanel.setLocked(locked);
    settings.setLocked(locked);
    dataPanel.setBusy(locked);
    modelFiles.setBusy(locked);
  }

  let lastLabels = '';

  const health = new TrainingHealth(() => config);
  const tell = (f: Finding | null) => f && messages.show('warning', f.title, f.detail, `training-health:${f.problem}`);
  const names = (label: number) => session.data?.classNames[label] ?? String(label);
  let firstScreenShown = () => {};
  registerOffline(session, new Promise<void>((resolve) => (firstScreenShown = resolve)));
  session.on({
    phase: () => updateControls(),
    engine: (info) => showEngine($('engine-badge'), info),
    data: (d) => {
      cache.clear();
      dataPanel.setData(d);
      settings.setClothes(isClothes(d.id) || isClothes(d.label));
      showPlan();
      drawPanel.setClassNames(
        d.classNames,
        d.classNames.every((n, i) => n === String(i)),
      );
      for (const v of [gallery, mistakes]) v.showEmpty('Train or load a model to see its predictions.');
      confusion.showEmpty('Train or load a model to fill the matrix.');
    },
    runStart: (run) => {
      modelOrigin =
        !run.continues || run.continues.runId
          ? 'trained here'
          : `${modelOrigin.replace(/, trained further here$/, '')}, trained further here`;
      cache.clear();
      charts.clear();
      trainPanel.clear();
      health.reset();
    },
    progress: (p) => {
      charts.addLosses(p.step - p.losses.length + 1, p.losses, p.learningRate);
      tell(health.addLosses(p.losses, p.batchesPerEpoch));
      trainPanel.setProgress(p, config.epochs, session.runFirstEpoch);
      networkView.trainingTick();
    },
    steps: () => gallery.refresh(session.model?.testCount ?? 0, names),
    epoch: (e) => {
      charts.addEpoch(e);
      tell(health.addEvaluation(e.test.accuracy, e.test.classes));
      trainPanel.setEpochResult(e.epoch, e.test.accuracy, e.test.loss);
      messages.announce(`Epoch ${e.epoch + 1} done: test accuracy ${(e.test.accuracy * 100).toFixed(1)} percent.`);
    },
    evaluation: (e, live) => {
      const count = session.model?.testCount ?? e.count;
      confusion.show(e, names);
      if (session.busy) tell(health.addEvaluation(e.accuracy, e.classes));
      trainPanel.setEpochResult(0, e.accuracy, e.loss);
      gallery.refresh(count, names);
      // Finding the worst mistakes is another pass over the test set: once per epoch is enough.
      if (!live) mistakes.refresh(count, names);
    },
    model: (info) => {
      // Test indices refer to the (class-filtered) split: a different class set, other images.
      const labelsKey = info ? info.classLabels.join(',') : '';
      if (labelsKey !== lastLabels) cache.clear();
      lastLabels = labelsKey;
      modelFiles.setModel(info, modelOrigin);
      updateControls();
      if (info) {
        drawPanel.refresh();
        networkView.refresh();
      }
    },
    runSaved: (run) => {
      lastSaved = run;
      void runsPanel.reload(run.id);
      const acc = run.finalTestAccuracy !== null ? `, test accuracy ${(run.finalTestAccuracy * 100).toFixed(1)} percent` : '';
      messages.announce(`Training ${run.status}${acc}. The run is saved under Compare runs.`);
    },
    error: showError,
    warning: (title, detail) => messages.show('warning', title, detail),
  });

  // ---- start ----
  // The first screen: engine, data index, model and data from the link. Whatever happens to it,
  // the service worker may register afterwards (its install downloads every precached file).
  async function showFirstScreen(): Promise<boolean> {
    updateControls();
    const firstData = dataLoading.first();
    const [, index] = await Promise.all([session.start(), indexLoad]);
    defaultId = index.defaultId;
    dataPanel.setSets(index.sets);
    dataPanel.select(config.data === DEFAULT_DATA ? defaultId : config.data, config.dataUrl);
    showEngine($('engine-badge'), session.engine, session.engine ? undefined : 'see the message below');
    settings.setThreadLimit(session.engine?.maxThreads ?? 1, threadReason(session.engine));
    if (session.phase === 'broken') {
      updateControls();
      return false;
    }
    if (session.engine) void session.setThreads(config.threads).then(() => showEngine($('engine-badge'), session.engine));
    modelPanel.setPresets(session.presets);
    modelPanel.set(config.model, config.loss, config.classes);
    showPlan();
    // The data set from the link (or the index's default).
    await dataLoading.fallBack(firstData, config, index);
    return true;
  }
  let working = false;
  try {
    working = await showFirstScreen();
  } finally {
    firstScreenShown();
  }
  // While the person looks at the first screen, the engine's code is optimized on made-up data,
  // so that the first run does not pay for it (worker/warm-up.ts). Only speed depends on it.
  if (working) api.warmUp().catch((err: unknown) => console.warn('scratchnet: warm-up failed', err));
  // Then the last model from this browser.
  if (working) await restoreLastModel(session, store, charts, messages, (origin) => (modelOrigin = origin));
}

void main();
