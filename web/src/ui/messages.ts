// Readable messages in the page: errors stay until dismissed (their text can be copied),
// notices fade after a while. Everything also goes to the screen-reader announcer.
import { button, h } from './dom';

export type Level = 'error' | 'warning' | 'info' | 'success';

export interface Messages {
  /** `key`: a later message with the same key replaces this one (e.g. one crash, two reports). */
  show(level: Level, title: string, detail?: string, key?: string): void;
  announce(text: string): void;
  clearAll(): void;
}

export function mountMessages(container: HTMLElement, announcer: HTMLElement): Messages {
  let announceTimer = 0;
  const announce = (text: string) => {
    // Clearing first makes screen readers repeat an identical message.
    announcer.textContent = '';
    clearTimeout(announceTimer);
    announceTimer = window.setTimeout(() => (announcer.textContent = text), 50);
  };
  const show = (level: Level, title: string, detail?: string, key?: string) => {
    const box = h(
      'div',
      { class: `message message-${level}`, role: level === 'error' ? 'alert' : 'status' },
      h('div', { class: 'message-body' }, h('strong', {}, title), detail ? h('p', {}, detail) : null),
    );
    const close = button('×', () => box.remove(), { class: 'icon-button', 'aria-label': `Dismiss: ${title}` });
    box.append(close);
    // Repeated identical messages replace each other rather than piling up.
    const k = key ?? `${level}:${title}:${detail ?? ''}`;
    for (const old of container.querySelectorAll<HTMLElement>('.message')) {
      if (old.dataset.key === k) old.remove();
    }
    box.dataset.key = k;
    container.append(box);
    // Keep the corner readable: the oldest goes when more than four are showing.
    const all = container.querySelectorAll('.message');
    if (all.length > 4) all[0]!.remove();
    if (level === 'info' || level === 'success') setTimeout(() => box.remove(), 8000);
    if (level !== 'error') announce(detail ? `${title}. ${detail}` : title);
  };
  return {
    show,
    announce,
    clearAll: () => container.replaceChildren(),
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
