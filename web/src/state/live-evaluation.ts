// While training runs, evaluates the test set now and then so the confusion matrix and the
// galleries move between epochs. Each evaluation is a pass over the whole test set in the
// trainer worker (training waits meanwhile): they are spaced so evaluating costs at most ~1/10
// of the time, and none is made when the epoch's own evaluation comes sooner than the next one.
import type { Evaluation, TrainerApi } from '../worker/protocol';

/** Shortest gap between live test-set evaluations while training runs. */
export const LIVE_EVAL_MIN_MS = 4000;

/** Where the run stands: evaluations go on while it is 'running', wait while 'paused', end otherwise. */
export type LiveState = 'running' | 'paused' | 'over';

/** Evaluations wait this many times as long as the last one took. */
const SPACING = 9;

/** `epochEndsInMs`: the expected time to the end of the epoch (which evaluates anyway). */
export async function liveEvaluation(
  evaluate: TrainerApi['evaluate'],
  state: () => LiveState,
  show: (e: Evaluation) => void,
  epochEndsInMs: () => number = () => Infinity,
): Promise<void> {
  let wait = LIVE_EVAL_MIN_MS;
  for (;;) {
    await new Promise((r) => setTimeout(r, wait));
    const now = state();
    if (now === 'over') return;
    if (now === 'paused') continue;
    if (epochEndsInMs() < wait) continue;
    const t0 = performance.now();
    try {
      const e = await evaluate();
      if (state() !== 'running') return;
      show(e);
    } catch {
      return; // the train() call reports real failures
    }
    wait = Math.max(LIVE_EVAL_MIN_MS, SPACING * (performance.now() - t0));
  }
}
