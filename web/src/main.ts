// Wiring only: creates the worker client, the session and the panels, and connects their
// events. What each part shows lives in ui/; what the buttons mean lives in state/session.ts.
import './styles.css';
import { bundledChoice, dataChoice, type DataChoice, type DataRequest } from './data/load';
import { fetchIndex, type DataSetInfo } from './data/sources';
import { registerOffline } from './offline';
import { configFromSearch, configToSearch, dataFromSearch, DEFAULT_DATA, type EngineSettings, type TrainConfig } from './state/config';
import { createRunStore, loadLastModel, saveLastModel } from './state/idb';
import { runChain } from './state/runs';
import { Session } from './state/session';
import { mountCharts } from './ui/charts';
import { mountConfusion } from './ui/confusion';
import { mountDataPanel } from './ui/data-panel';
import { download } from './ui/dom';
import { showEngine, threadReason } from './ui/engine-badge';
import { mountMistakesGallery, mountPredictionGallery } from './ui/gallery';
import { describeError, mountMessages } from './ui/messages';
import { mountModelFilePanel } from './ui/model-file-panel';
import { mountModelPanel } from './ui/model-panel';
import { mountRunsPanel } from './ui/runs-panel';
import { mountSettingsPanel } from './ui/settings-panel';
import { SampleCache } from './ui/tiles';
import { mountTrainPanel, TRAIN_LABELS, type TrainIntent } from './ui/train-panel';
import { loadingText, trainHint } from './ui/train-hint';
import { mountDrawPanel } from './ui/draw-panel';
import { mountNetworkView } from './ui/network-view';
import { mountReportPanel } from './ui/report-panel';
import type { RunRecord } from './state/runs';
import { presetPatch } from './ui/preset-settings';
import { TrainingHealth, type Finding } from './ui/training-health';
import { createTrainer } from './worker/client';
import type { DatasetInfo, LoadProgress, ModelInfo } from './worker/protocol';

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
      messages.show('warning', 'The engine crashed and was restarted', `${why}. Your data and last model were restored; press Train to go on.`, 'restart'),
  });
  // What the first screen needs starts now, in parallel: the worker loads the engine (which
  // gives the training defaults, limits and preset settings), the data index arrives (preloaded
  // by index.html), and the link's data set is read by the worker while the engine loads.
  const engineLoad = api.engineSettings();
  const linkData = dataFromSearch(location.search);
  const indexUrl = new URL('data/index.json', document.baseURI);
  const indexLoad = fetchIndex(indexUrl);
  // The link's data set (or the index's default) starts loading as soon as it is known: the
  // small bundled set at once, a listed one when the index arrives.
  const firstChoice: Promise<DataChoice | null> =
    linkData.data === 'mnist'
      ? Promise.resolve(bundledChoice('mnist'))
      : indexLoad.then(({ sets: listed, defaultId }) => {
          const info = listed.find((s) => s.id === (linkData.data === DEFAULT_DATA ? defaultId : linkData.data));
          return info ? dataChoice({ kind: 'listed', info }, indexUrl) : null;
        });
  let firstProgress: (p: LoadProgress) => void = () => undefined;
  const firstLoad = firstChoice.then((c) => (c ? { choice: c, started: api.loadDataset(c.spec, (p) => firstProgress(p)) } : null));
  firstLoad.then((f) => f?.started.catch(() => undefined)).catch(() => undefined); // reported by loadData below
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
  const session = new Session(api, store, config, async (bytes, run) => {
    await saveLastModel({
      bytes,
      description: run?.description ?? '',
      savedAt: Date.now(),
      accuracy: run?.finalTestAccuracy ?? null,
      dataLabel: run?.dataLabel ?? session.data?.label ?? '',
      classLabels: session.model?.classLabels ?? [],
      ...(run ? { runId: run.id } : {}),
    });
  });
  let modelValid = false;
  let sets: DataSetInfo[] = [];
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
  const dataPanel = mountDataPanel($('data-panel'), (req) => void loadData(req));
  const modelPanel = mountModelPanel($('model-panel'), (d) => api.validate(d), (choice) => {
    modelValid = choice.valid;
    session.twoClass = choice.twoClass;
    setConfig({ model: choice.model, loss: choice.loss, classes: choice.classes });
    const change = presetPatch(choice.picked, config, engine);
    if (change) {
      setConfig(change.patch);
      settings.set(config);
      messages.show('info', change.title, change.why);
    }
  });
  modelPanel.showPending(config.model);
  const settings = mountSettingsPanel($('settings-panel'), (patch) => {
    setConfig(patch);
    if (patch.learningRate !== undefined) void session.setLearningRate(patch.learningRate);
    if (patch.threads !== undefined) void session.setThreads(patch.threads).then(() => showEngine($('engine-badge'), session.engine));
  }, async () => {
    try {
      await navigator.clipboard.writeText(location.href);
      return true;
    } catch {
      return false;
    }
  }, engine.limits);
  settings.set(config);
  const trainPanel = mountTrainPanel($('train-panel'), {
    train: () => void session.train(),
    pause: () => void session.pause(),
    resume: () => {
      const problem = settings.learningRateProblem();
      if (problem) messages.show('warning', `Resumed with learning rate ${config.learningRate}`, `The learning rate typed in was not used: ${problem}`);
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
    save: () =>
      void session.saveModel().then((bytes) => {
        if (bytes) download(`scratchnet-${session.presetName() ?? 'model'}.snmodel`, bytes as BlobPart, 'application/octet-stream');
      }),
    exportOnnx: () =>
      void session.saveModel('onnx').then((bytes) => {
        if (bytes) download(`scratchnet-${session.presetName() ?? 'model'}.onnx`, bytes as BlobPart, 'application/octet-stream');
      }),
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
        messages.show(
          'success',
          'Model loaded',
          `${file.name}: ${info.summary.description}. ${TRAIN_LABELS.continue} trains these weights further with the training settings${
            config.optimizer === 'sgd' ? '' : ` (${config.optimizer} starts with fresh running averages: a model file holds the weights only)`
          }; New model starts over.`,
        );
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

  function trainIntent(): TrainIntent {
    if (!session.model) return 'first';
    return session.nextTrain;
  }

  function updateControls(): void {
    const p = session.phase;
    const canTrain = session.data !== null && modelValid;
    const why =
      p === 'starting' ? 'Starting the engine…'
      : p === 'broken' ? 'The engine could not start; see the message above.'
      : !session.data ? 'Waiting for a data set…'
      : !modelValid ? 'Fix the model description to train.'
      : p === 'paused' ? 'Paused. Resume, or change the learning rate first.'
      : p === 'ready' && !session.runOpen ? trainHint(trainIntent(), session, config, modelOrigin)
      : '';
    const intent = trainIntent();
    trainPanel.setPhase(p, canTrain, why, intent, intent === 'fresh' && !session.diverged);
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
  registerOffline(session);
  session.on({
    phase: () => updateControls(),
    engine: (info) => showEngine($('engine-badge'), info),
    data: (d) => {
      cache.clear();
      dataPanel.setData(d);
      showPlan();
      drawPanel.setClassNames(d.classNames, d.classNames.every((n, i) => n === String(i)));
      for (const v of [gallery, mistakes]) v.showEmpty('Train or load a model to see its predictions.');
      confusion.showEmpty('Train or load a model to fill the matrix.');
    },
    runStart: (run) => {
      modelOrigin = !run.continues || run.continues.runId ? 'trained here' : `${modelOrigin.replace(/, trained further here$/, '')}, trained further here`;
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

  /** Loads what the person chose; `started`: the worker already reads `req` (at startup). */
  async function loadData(req: DataRequest | DataChoice, started?: Promise<DatasetInfo>): Promise<boolean> {
    dataPanel.setError(null);
    dataPanel.setBusy(true, 'Loading…');
    // A progress report can arrive after the load has failed: it must not make the panel busy again.
    let done = false;
    try {
      const choice = 'spec' in req ? req : await dataChoice(req, indexUrl);
      dataPanel.setBusy(true, `Loading ${choice.label}…`);
      const progress = (p: LoadProgress) => void (done || dataPanel.setBusy(true, loadingText(choice.label, p)));
      firstProgress = progress;
      const data = await session.loadData(choice, progress, started);
      if (!data) return false;
      setConfig({ data: data.id === defaultId ? DEFAULT_DATA : data.id, dataUrl: 'kind' in req && req.kind === 'url' ? req.url : '' });
      return true;
    } catch (err) {
      const { detail } = describeError(err);
      dataPanel.setError(`${detail}${session.data ? ` — still using ${session.data.label}.` : ''}`);
      showError(err);
      return false;
    } finally {
      done = true;
      dataPanel.setBusy(false);
      // The choice stays where the person put it (to fix a file or an address and retry);
      // the status line says which data set is loaded.
      if (session.data) dataPanel.setData(session.data);
      updateControls();
    }
  }

  // ---- start ----
  updateControls();
  const firstData = firstLoad.then((f) => (f ? loadData(f.choice, f.started) : null));
  const [, index] = await Promise.all([session.start(), indexLoad]);
  sets = index.sets;
  defaultId = index.defaultId;
  dataPanel.setSets(sets);
  dataPanel.select(config.data === DEFAULT_DATA ? defaultId : config.data, config.dataUrl);
  showEngine($('engine-badge'), session.engine, session.engine ? undefined : 'see the message below');
  settings.setThreadLimit(session.engine?.maxThreads ?? 1, threadReason(session.engine));
  if (session.phase === 'broken') return updateControls();
  if (session.engine) void session.setThreads(config.threads).then(() => showEngine($('engine-badge'), session.engine));
  modelPanel.setPresets(session.presets);
  modelPanel.set(config.model, config.loss, config.classes);
  showPlan();

  // The data set from the link (or the index's default).
  const fallback = sets.find((s) => s.id === defaultId) ?? sets[0];
  let loaded = (await firstData.catch(() => null)) ?? false;
  if (!loaded && config.data === 'url' && config.dataUrl) loaded = await loadData({ kind: 'url', url: config.dataUrl });
  else if (!loaded && config.data === 'files') messages.show('info', 'Drop your IDX files again', `Files cannot travel in a link; loading ${fallback?.label ?? 'the bundled digits'} meanwhile.`);
  if (!loaded && fallback && !session.data) await loadData({ kind: 'listed', info: fallback });

  // The last model from this browser, so a reload does not lose it.
  const last = await loadLastModel();
  if (last && session.data && !session.model) {
    modelOrigin = `restored from this browser${last.accuracy !== null ? ` (${(last.accuracy * 100).toFixed(1)}% on ${last.dataLabel})` : ''}`;
    const info = await session.loadModel(last.bytes, (err) =>
      messages.show('info', 'Your last model could not be restored', `${describeError(err).detail} Press Train for a new one.`),
    'the model restored in this browser');
    if (info) {
      // Its curves, as its runs stored them ("Watching it learn" shows how it got here).
      charts.showRuns(await runChain(store, last.runId).catch(() => []));
      const next = session.nextTrain === 'continue' ? `${TRAIN_LABELS.continue} to train it further, or New model to start over` : `${TRAIN_LABELS.fresh} for the model in the settings`;
      messages.show('info', 'Your last model is back', `${modelOrigin}. Draw a digit to try it, or press ${next}.`);
    }
  }
}

void main();
