// The sentences the Train card and the data panel show while waiting: why Train cannot start,
// what Train will do (for someone who has never trained a network), and how far a data set has
// loaded.
import type { TrainConfig } from '../state/config';
import type { Session } from '../state/session';
import type { LoadProgress } from '../worker/protocol';
import { TRAIN_LABELS, type TrainIntent } from './train-panel';

/** What Train does next: build the first model, continue the current one, or build fresh weights. */
export function trainIntent(session: Session): TrainIntent {
  return session.model ? session.nextTrain : 'first';
}

/** The line under the Train button: why it cannot start, or what it will do. */
export function controlsHint(session: Session, config: TrainConfig, modelValid: boolean, origin: string): string {
  const p = session.phase;
  if (p === 'starting') return 'Starting the engine…';
  if (p === 'broken') return 'The engine could not start; see the message above.';
  if (!session.data) return 'Waiting for a data set…';
  if (!modelValid) return 'Fix the model description to train.';
  if (p === 'paused') return 'Paused. Resume, or change the learning rate first.';
  return p === 'ready' && !session.runOpen ? trainHint(trainIntent(session), session, config, origin) : '';
}

/** One sentence on what Train will do. `origin` says where the model came from. */
export function trainHint(intent: TrainIntent, session: Session, config: TrainConfig, origin: string): string {
  const more = `${config.epochs} more epoch${config.epochs === 1 ? '' : 's'}`;
  if (intent === 'continue') {
    const done = session.modelEpochs;
    const restart =
      session.optimizerRestarts && config.optimizer !== 'sgd'
        ? ` (${config.optimizer} starts with fresh running averages${origin.startsWith('trained here') ? '' : ': a model file holds the weights only'})`
        : '';
    return `${TRAIN_LABELS.continue} trains this model${done > 0 ? ` (${done} epoch${done === 1 ? '' : 's'} so far)` : ''} for ${more} with ${config.optimizer} ${config.learningRate}${restart}. New model starts over from fresh weights; every run is kept under Compare runs.`;
  }
  if (intent === 'fresh' && session.diverged) {
    return `Training diverged, so these weights are no use: ${TRAIN_LABELS.fresh} starts over with fresh weights (lower the learning rate first).`;
  }
  if (intent === 'fresh') {
    return `The settings describe another model than the current one (layers, digits or seed): ${TRAIN_LABELS.fresh} builds it with fresh weights and replaces the current ones (save them first to keep them). The figures below stay blank until there are figures of the model in the settings.`;
  }
  const images = session.data?.info.trainCount ?? 0;
  const what = session.twoClass
    ? `the ${config.classes[0]}s and ${config.classes[1]}s among ${images.toLocaleString('en')} images`
    : `${images.toLocaleString('en')} images`;
  return `Train shows the network ${what} in batches of ${config.batchSize}, nudging its weights after every batch, ${config.epochs} time${config.epochs === 1 ? '' : 's'} over.`;
}

/** "Loading Fashion-MNIST… 3.1 of 26.4 MB". */
export function loadingText(label: string, p: LoadProgress): string {
  const mb = (n: number) => (n / 1048576).toFixed(1);
  return `Loading ${label}… ${p.total ? `${mb(p.loaded)} of ${mb(p.total)} MB` : `${mb(p.loaded)} MB`}`;
}
