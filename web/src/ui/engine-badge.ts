// Which wasm build runs (threads or single) and why, in the page header.
import type { InitInfo } from '../worker/protocol';

export function showEngine(badge: HTMLElement, info: InitInfo | null, error?: string): void {
  const text = badge.querySelector('.engine-text') ?? badge;
  badge.classList.remove('ok', 'single', 'broken');
  if (!info) {
    badge.classList.add('broken');
    text.textContent = error ? `Engine failed to start: ${error}` : 'Engine not running';
    return;
  }
  if (info.variant === 'threads') {
    badge.classList.add('ok');
    text.textContent = `WebAssembly SIMD + threads · ${info.threads} of ${info.maxThreads}`;
    badge.title = 'The page is cross-origin isolated, so the multi-threaded build runs.';
  } else {
    badge.classList.add('single');
    text.textContent = globalThis.crossOriginIsolated
      ? 'WebAssembly SIMD · single thread (the threaded build did not start)'
      : 'WebAssembly SIMD · single thread (page not cross-origin isolated)';
    badge.title = 'The multi-threaded build needs a cross-origin-isolated page (COOP/COEP headers) and SharedArrayBuffer.';
  }
}

/** Why threads are or are not available, for the settings hint. */
export function threadReason(info: InitInfo | null): string {
  if (!info) return '';
  if (info.variant === 'threads') {
    return `Up to ${info.maxThreads} threads (this device's cores). Automatic times a few counts while it trains and keeps the fastest (on a busy machine fewer threads can be faster); results are the same for any count.`;
  }
  if (!globalThis.crossOriginIsolated) {
    return 'Single thread: this page is not cross-origin isolated (the server sends no COOP/COEP headers), so SharedArrayBuffer is unavailable.';
  }
  return 'Single thread: the threaded build could not start in this browser.';
}
