// Loading a data set into the session while the data panel shows how far it got. The link's set
// (or the index's default) is asked of the worker at page load, while the engine starts; the
// person's choices come later. A failed load says why in the panel and keeps the set there was.
import { bundledChoice, dataChoice, type DataChoice, type DataRequest } from '../data/load';
import type { DataIndex, LoadedDataSet } from '../data/sources';
import { DEFAULT_DATA, type TrainConfig } from '../state/config';
import type { Session } from '../state/session';
import type { DatasetInfo, LoadProgress, TrainerApi } from '../worker/protocol';
import type { DataPanel } from './data-panel';
import { describeError, type Messages } from './messages';
import { loadingText } from './train-hint';

/** The link's data set, asked of the worker before the engine is up. */
export interface LinkData {
  started: Promise<{ choice: DataChoice; started: Promise<DatasetInfo> } | null>;
  /** Where the worker's progress reports go: the load the panel shows now. */
  progress(p: LoadProgress): void;
}

/**
 * Starts reading the link's data set (`data`, its data= value) at once: the small bundled set
 * before the index arrives, a listed one when it does.
 */
export function startLinkData(api: Pick<TrainerApi, 'loadDataset'>, data: string, index: Promise<DataIndex>, indexUrl: URL): LinkData {
  const choice: Promise<DataChoice | null> =
    data === 'mnist'
      ? Promise.resolve(bundledChoice('mnist'))
      : index.then(({ sets, defaultId }) => {
          const info = sets.find((s) => s.id === (data === DEFAULT_DATA ? defaultId : data));
          return info ? dataChoice({ kind: 'listed', info }, indexUrl) : null;
        });
  const link: LinkData = {
    started: choice.then((c) => (c ? { choice: c, started: api.loadDataset(c.spec, (p) => link.progress(p)) } : null)),
    progress: () => undefined,
  };
  link.started.then((f) => f?.started.catch(() => undefined)).catch(() => undefined); // reported when shown
  return link;
}

export interface DataLoading {
  /** Loads what the person chose; resolves whether it loaded. */
  load(req: DataRequest): Promise<boolean>;
  /** Shows the link's set loading; resolves whether it loaded. */
  first(): Promise<boolean>;
  /** When the link's set did not load: its folder address, else the index's default. */
  fallBack(first: Promise<boolean>, config: TrainConfig, index: DataIndex): Promise<void>;
}

export function mountDataLoading(o: {
  link: LinkData;
  session: Session;
  panel: DataPanel;
  messages: Messages;
  indexUrl: URL;
  showError(err: unknown): void;
  /** A set loaded; `url` is the folder address it came from ('' otherwise). */
  loaded(data: LoadedDataSet, url: string): void;
  /** After every attempt, whether it loaded or not. */
  settled(): void;
}): DataLoading {
  /** `started`: the worker already reads `req` (at startup). */
  async function load(req: DataRequest | DataChoice, started?: Promise<DatasetInfo>): Promise<boolean> {
    const { panel, session } = o;
    panel.setError(null);
    panel.setBusy(true, 'Loading…');
    // A progress report can arrive after the load has failed: it must not make the panel busy again.
    let done = false;
    try {
      const choice = 'spec' in req ? req : await dataChoice(req, o.indexUrl);
      panel.setBusy(true, `Loading ${choice.label}…`);
      const progress = (p: LoadProgress) => void (done || panel.setBusy(true, loadingText(choice.label, p)));
      o.link.progress = progress;
      const data = await session.loadData(choice, progress, started);
      if (!data) return false;
      o.loaded(data, 'kind' in req && req.kind === 'url' ? req.url : '');
      return true;
    } catch (err) {
      panel.setError(`${describeError(err).detail}${session.data ? ` — still using ${session.data.label}.` : ''}`);
      o.showError(err);
      return false;
    } finally {
      done = true;
      panel.setBusy(false);
      // The choice stays where the person put it (to fix a file or an address and retry);
      // the status line says which data set is loaded.
      if (session.data) panel.setData(session.data);
      o.settled();
    }
  }

  return {
    load: (req) => load(req),
    first: () => o.link.started.then((f) => (f ? load(f.choice, f.started) : false)),
    async fallBack(first, config, { sets, defaultId }) {
      const fallback = sets.find((s) => s.id === defaultId) ?? sets[0];
      let loaded = await first.catch(() => false);
      if (!loaded && config.data === 'url' && config.dataUrl) loaded = await load({ kind: 'url', url: config.dataUrl });
      else if (!loaded && config.data === 'files') {
        const meanwhile = fallback?.label ?? 'the bundled digits';
        o.messages.show('info', 'Drop your IDX files again', `Files cannot travel in a link; loading ${meanwhile} meanwhile.`);
      }
      if (!loaded && fallback && !o.session.data) await load({ kind: 'listed', info: fallback });
    },
  };
}
