// The last model trained or loaded in this browser, kept in IndexedDB so that a reload does not
// lose it: saved with every run's model, restored at startup with its curves and a message that
// says where it came from and what Train does with it.
import { loadLastModel, saveLastModel } from '../state/idb';
import { runChain, type RunRecord, type RunStore } from '../state/runs';
import type { Session } from '../state/session';
import type { Charts } from './charts';
import { describeError, type Messages } from './messages';
import { TRAIN_LABELS } from './train-panel';

/** Keeps `bytes` (the session's current model; `run` the run that trained it) as the last model. */
export async function keepLastModel(session: Pick<Session, 'data' | 'model'>, bytes: Uint8Array, run: RunRecord | null): Promise<void> {
  await saveLastModel({
    bytes,
    description: run?.description ?? '',
    savedAt: Date.now(),
    accuracy: run?.finalTestAccuracy ?? null,
    dataLabel: run?.dataLabel ?? session.data?.label ?? '',
    classLabels: session.model?.classLabels ?? [],
    ...(run ? { runId: run.id } : {}),
  });
}

/** Loads the last model when a data set is loaded and no model is there yet; `setOrigin` hears
 * where the model came from before the session shows it. */
export async function restoreLastModel(
  session: Session,
  store: RunStore,
  charts: Charts,
  messages: Messages,
  setOrigin: (origin: string) => void,
): Promise<void> {
  const last = await loadLastModel();
  if (!last || !session.data || session.model) return;
  const origin = `restored from this browser${last.accuracy !== null ? ` (${(last.accuracy * 100).toFixed(1)}% on ${last.dataLabel})` : ''}`;
  setOrigin(origin);
  const failed = (err: unknown) =>
    messages.show('info', 'Your last model could not be restored', `${describeError(err).detail} Press Train for a new one.`);
  if (!(await session.loadModel(last.bytes, failed, 'the model restored in this browser'))) return;
  // Its curves, as its runs stored them ("Watching it learn" shows how it got here).
  charts.showRuns(await runChain(store, last.runId).catch(() => []));
  const next =
    session.nextTrain === 'continue'
      ? `${TRAIN_LABELS.continue} to train it further, or New model to start over`
      : `${TRAIN_LABELS.fresh} for the model in the settings`;
  messages.show('info', 'Your last model is back', `${origin}. Draw a digit to try it, or press ${next}.`);
}
