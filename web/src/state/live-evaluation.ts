// While training runs, evaluates the test set now and then so the confusion matrix and the
// galleries move between epochs. Spaced so evaluating costs at most ~1/6 of the time.
import type { Evaluation, TrainerApi } from '../worker/protocol';

/** Shortest gap between live test-set evaluations while training runs. */
export const LIVE_EVAL_MIN_MS = 4000;

/** Where the run stands: evaluations go on while it is 'running', wait while 'paused', end otherwise. */
export type LiveState = 'running' | 'paused' | 'over';

export async function liveEvaluation(
  evaluate: TrainerApi['evaluate'],
  state: () => LiveState,
  show: (e: Evaluation) => void,
): Promise<void> {
  let wait = LIVE_EVAL_MIN_MS;
  for (;;) {
    await new Promise((r) => setTimeout(r, wait));
    const now = state();
    if (now === 'over') return;
    if (now === 'paused') continue;
    const t0 = performance.now();
    try {
      const e = await evaluate();
      if (state() !== 'running') return;
      show(e);
    } catch {
      return; // the train() call reports real failures
    }
    wait = Math.max(LIVE_EVAL_MIN_MS, 5 * (performance.now() - t0));
  }
}
