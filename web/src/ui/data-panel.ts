// The data set picker (bundled digits, Fashion-MNIST when present, your own IDX files by drop
// or picker, a folder URL) and the strip of sample images. It only asks; data-loading.ts loads.
import type { DataRequest } from '../data/load';
import type { DataSetInfo, LoadedDataSet } from '../data/sources';
import { button, clear, h, uid } from './dom';
import { imageCanvas } from './image';

export interface DataPanel {
  setSets(sets: DataSetInfo[]): void;
  setData(data: LoadedDataSet): void;
  /** Selects the choice matching a data id ("mnist", "fashion", "files", "url"). */
  select(id: string, url?: string): void;
  setBusy(busy: boolean, message?: string): void;
  setError(message: string | null): void;
}

export function mountDataPanel(container: HTMLElement, onRequest: (req: DataRequest) => void): DataPanel {
  const group = uid('dataset');
  const choices = h('div', { class: 'choices', role: 'radiogroup', 'aria-label': 'Data set' });
  let sets: DataSetInfo[] = [];
  let current = 'mnist';

  // Your own files: drop zone around a real file input (keyboard and screen-reader friendly).
  const fileInput = h('input', {
    type: 'file',
    multiple: true,
    accept: '.gz,.idx3-ubyte,.idx1-ubyte,application/gzip,application/octet-stream,*',
    class: 'visually-hidden',
    id: uid('idx-files'),
  });
  const dropZone = h(
    'div',
    { class: 'drop-zone' },
    h(
      'label',
      { for: fileInput.id, class: 'drop-label' },
      h('strong', {}, 'Drop the four IDX files here'),
      h('span', {}, ' or click to choose them'),
      h(
        'small',
        {},
        'train-images-idx3-ubyte, train-labels-idx1-ubyte, t10k-images-idx3-ubyte, t10k-labels-idx1-ubyte — raw or .gz (full MNIST, EMNIST digits, Fashion-MNIST…)',
      ),
    ),
    fileInput,
  );
  fileInput.addEventListener('change', () => {
    if (fileInput.files && fileInput.files.length > 0) onRequest({ kind: 'files', files: [...fileInput.files] });
    fileInput.value = '';
  });
  for (const ev of ['dragenter', 'dragover'] as const) {
    dropZone.addEventListener(ev, (e) => {
      e.preventDefault();
      dropZone.classList.add('dragging');
    });
  }
  for (const ev of ['dragleave', 'drop'] as const) {
    dropZone.addEventListener(ev, () => dropZone.classList.remove('dragging'));
  }
  dropZone.addEventListener('drop', (e) => {
    e.preventDefault();
    e.stopPropagation();
    takeDrop(e);
  });
  // Files dropped anywhere else would make the browser open them and leave the page (losing
  // the run); take them as a data set instead.
  window.addEventListener('dragover', (e) => {
    if (e.dataTransfer?.types.includes('Files')) e.preventDefault();
  });
  window.addEventListener('drop', (e) => {
    if (!e.dataTransfer?.types.includes('Files')) return;
    e.preventDefault();
    if (!container.classList.contains('is-busy')) takeDrop(e);
  });
  function takeDrop(e: DragEvent): void {
    const files = [...(e.dataTransfer?.files ?? [])];
    if (files.length > 0) {
      select('files');
      onRequest({ kind: 'files', files });
    }
  }

  // A folder on the web holding the four standard files.
  const urlInput = h('input', {
    type: 'url',
    placeholder: 'https://example.org/mnist/',
    inputmode: 'url',
    autocomplete: 'url',
    spellcheck: 'false',
  });
  const urlButton = button('Load', () => {
    const url = urlInput.value.trim();
    if (url) onRequest({ kind: 'url', url });
    else urlInput.focus();
  });
  urlInput.addEventListener('keydown', (e) => {
    if (e.key === 'Enter') urlButton.click();
  });
  urlInput.id = uid('url');
  const urlHint = h(
    'small',
    { class: 'hint', id: uid('url-hint') },
    'Same site, or a server that allows cross-origin requests. The standard names are tried with and without .gz.',
  );
  urlInput.setAttribute('aria-describedby', urlHint.id);
  const urlBox = h(
    'div',
    { class: 'url-box field' },
    h('label', { for: urlInput.id }, 'Folder address'),
    h('div', { class: 'inline' }, urlInput, urlButton),
    urlHint,
  );

  const status = h('p', { class: 'data-status', role: 'status', 'aria-live': 'polite' }, 'Loading the digits…');
  const error = h('p', { class: 'field-error', role: 'alert', hidden: true });
  const strip = h('div', { class: 'sample-strip', role: 'list', 'aria-label': 'Sample training images' });

  container.append(
    choices,
    dropZone,
    urlBox,
    status,
    error,
    h('details', { class: 'more' }, h('summary', {}, 'What the data looks like'), strip),
  );

  function renderChoices(): void {
    clear(choices);
    const options: { id: string; label: string; note: string }[] = [
      ...sets.map((s) => ({ id: s.id, label: s.label, note: s.note })),
      { id: 'files', label: 'Your own IDX files', note: 'Full MNIST, EMNIST digits, Fashion-MNIST…' },
      { id: 'url', label: 'From a web address', note: 'A folder with the four files' },
    ];
    for (const o of options) {
      const input = h('input', { type: 'radio', name: group, value: o.id, id: uid('ds') });
      input.checked = o.id === current;
      input.addEventListener('change', () => {
        if (!input.checked) return;
        current = o.id;
        updateVisibility();
        const info = sets.find((s) => s.id === o.id);
        if (info) onRequest({ kind: 'listed', info });
      });
      choices.append(
        h(
          'div',
          { class: 'choice' },
          input,
          h('label', { for: input.id }, h('span', { class: 'choice-title' }, o.label), o.note ? h('small', {}, o.note) : null),
        ),
      );
    }
  }

  function updateVisibility(): void {
    dropZone.hidden = current !== 'files';
    urlBox.hidden = current !== 'url';
  }

  function select(id: string, url?: string): void {
    current = id;
    for (const input of choices.querySelectorAll<HTMLInputElement>('input[type=radio]')) {
      input.checked = input.value === id;
    }
    if (url !== undefined) urlInput.value = url;
    updateVisibility();
  }

  renderChoices();
  updateVisibility();

  return {
    setSets(next) {
      sets = next;
      renderChoices();
      updateVisibility();
    },
    setData(data) {
      // The checked choice is the data in use: after a failed load of files or an address the
      // bundled set stays checked, while the drop zone or address box stays open to retry.
      for (const input of choices.querySelectorAll<HTMLInputElement>('input[type=radio]')) input.checked = input.value === data.id;
      const { info, samples } = data;
      status.textContent = `${data.label}: ${info.trainCount.toLocaleString('en')} training and ${info.testCount.toLocaleString('en')} test images, ${info.rows}×${info.cols} pixels, ${info.classes} classes.`;
      clear(strip);
      const size = samples.rows * samples.cols;
      samples.indices.forEach((i, k) => {
        const label = samples.labels[k]!;
        const name = data.classNames[label] ?? String(label);
        strip.append(
          h(
            'figure',
            { class: 'tile', role: 'listitem' },
            imageCanvas(samples.images, k * size, samples.rows, samples.cols, `Training image ${i}: ${name}`),
            h('figcaption', {}, name),
          ),
        );
      });
    },
    select,
    setBusy(busy, message) {
      container.classList.toggle('is-busy', busy);
      // The spinner means data is loading (a message says what), not that training holds the
      // panel: while it spins the page repaints every frame, time the training threads need.
      if (!busy) container.classList.remove('is-loading');
      else if (message) container.classList.add('is-loading');
      for (const el of container.querySelectorAll<HTMLInputElement | HTMLButtonElement>('input, button')) el.disabled = busy;
      if (message) status.textContent = message;
    },
    setError(message) {
      error.hidden = message === null;
      error.textContent = message ?? '';
    },
  };
}
