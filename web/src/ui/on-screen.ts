// Work for what a person can see: a panel scrolled out of view is not repainted (painting takes
// a core from training on small machines); it catches up once when it comes back into view.
export interface OnScreen {
  /** Whether the element is in (or within the margin of) the viewport. */
  visible(): boolean;
  /** Runs `work` now when visible, else once when the element next comes into view. */
  run(work: () => void): void;
  /** Drops work waiting for the element to come into view. */
  cancel(): void;
}

/** `marginPx`: how near the viewport counts as on screen. 200 px paints one-off work just
 * before it scrolls in; work that repeats while training runs (a live view) passes 0, so a panel
 * just below the fold does not take a core from training. */
export function onScreen(el: Element, marginPx = 200): OnScreen {
  // Until the observer first reports, assume visible (the first paint must not wait).
  let visible = true;
  let pending: (() => void) | null = null;
  if (typeof IntersectionObserver !== 'undefined') {
    new IntersectionObserver(
      (entries) => {
        visible = entries[entries.length - 1]!.isIntersecting;
        if (visible && pending) {
          const work = pending;
          pending = null;
          work();
        }
      },
      { rootMargin: `${marginPx}px` },
    ).observe(el);
  }
  return {
    visible: () => visible,
    run(work) {
      if (visible) {
        pending = null;
        work();
      } else pending = work;
    },
    cancel: () => void (pending = null),
  };
}
