// Readable messages in the page: a short stack in the bottom corner. Notices fade after a few
// seconds, warnings and errors after longer (never while the pointer or focus is on them, so
// their text can be read and copied); Esc closes the newest. Everything also goes to the
// screen-reader announcer.
import { button, h } from './dom';

export type Level = 'error' | 'warning' | 'info' | 'success';

export interface Messages {
  /** `key`: a later message with the same key replaces this one (e.g. one crash, two reports). */
  show(level: Level, title: string, detail?: string, key?: string): void;
  announce(text: string): void;
  clearAll(): void;
}

/** How long each level stays (ms), counted while the message is not hovered or focused. */
export const MESSAGE_LIFETIME: Record<Level, number> = { info: 7000, success: 7000, warning: 15000, error: 30000 };
/** At most this many at once: the oldest goes first. */
export const MAX_MESSAGES = 3;

export function mountMessages(container: HTMLElement, announcer: HTMLElement): Messages {
  let announceTimer = 0;
  const announce = (text: string) => {
    // Clearing first makes screen readers repeat an identical message.
    announcer.textContent = '';
    clearTimeout(announceTimer);
    announceTimer = window.setTimeout(() => (announcer.textContent = text), 50);
  };
  const timers = new Map<HTMLElement, number>();
  const remove = (box: HTMLElement) => {
    clearTimeout(timers.get(box));
    timers.delete(box);
    const hadFocus = box.contains(document.activeElement);
    box.remove();
    // Focus goes to the next message's close button rather than dropping to <body>.
    if (hadFocus) container.querySelector<HTMLButtonElement>('.message:last-child button')?.focus();
  };
  const arm = (box: HTMLElement, level: Level) => {
    clearTimeout(timers.get(box));
    timers.set(
      box,
      window.setTimeout(() => remove(box), MESSAGE_LIFETIME[level]),
    );
  };
  const show = (level: Level, title: string, detail?: string, key?: string) => {
    const box = h(
      'div',
      { class: `message message-${level}`, role: level === 'error' ? 'alert' : 'status' },
      h('div', { class: 'message-body' }, h('strong', {}, title), detail ? h('p', {}, detail) : null),
    );
    const close = button('×', () => remove(box), { class: 'icon-button', 'aria-label': `Dismiss: ${title}`, title: 'Dismiss (Esc)' });
    box.append(close);
    // Repeated identical messages replace each other rather than piling up.
    const k = key ?? `${level}:${title}:${detail ?? ''}`;
    for (const old of container.querySelectorAll<HTMLElement>('.message')) {
      if (old.dataset.key === k) remove(old);
    }
    box.dataset.key = k;
    container.append(box);
    const all = container.querySelectorAll<HTMLElement>('.message');
    for (let i = 0; i < all.length - MAX_MESSAGES; i++) remove(all[i]!);
    // Reading a message holds it; leaving it starts its time again.
    box.addEventListener('pointerenter', () => clearTimeout(timers.get(box)));
    box.addEventListener('focusin', () => clearTimeout(timers.get(box)));
    box.addEventListener('pointerleave', () => {
      if (!box.contains(document.activeElement)) arm(box, level);
    });
    box.addEventListener('focusout', (e) => {
      if (!box.contains(e.relatedTarget as Node | null)) arm(box, level);
    });
    arm(box, level);
    if (level !== 'error') announce(detail ? `${title}. ${detail}` : title);
  };
  document.addEventListener('keydown', (e) => {
    if (e.key !== 'Escape' || e.defaultPrevented) return;
    const newest = container.querySelector<HTMLElement>('.message:last-child');
    if (newest) remove(newest);
  });
  return {
    show,
    announce,
    clearAll: () => {
      for (const t of timers.values()) clearTimeout(t);
      timers.clear();
      container.replaceChildren();
    },
  };
}

/** A person-readable title for an error from the engine or the page. */
export function describeError(err: unknown): { title: string; detail: string } {
  const e = err instanceof Error ? err : new Error(String(err));
  const titles: Record<string, string> = {
    DescriptionError: 'The model description has a problem',
    FormatError: 'That file could not be read',
    DataFormatError: 'That data could not be used',
    DivergenceError: 'Training diverged (the loss became NaN)',
    LimitError: 'That is too big',
    OutOfMemoryError: 'Out of memory',
    StateError: 'Not possible right now',
    WorkerRestartedError: 'The engine crashed and was restarted',
  };
  let detail = e.message;
  if (e.name === 'DivergenceError') detail += ' The weights from before that step were kept; try a smaller learning rate.';
  if (e.name === 'OutOfMemoryError') detail += ' Try a smaller model or batch size.';
  return { title: titles[e.name] ?? 'Something went wrong', detail };
}
