// A data set's four inflated IDX files parsed by the engine into two new Datasets (training and
// test), cross-checked. The engine names the file it refuses "images" or "labels"; messages
// here name it as the person knows it ("training images (train-images-idx3-ubyte.gz): …").
// Nothing is replaced until both splits parse, so a refused file leaves the loaded set as it is.
import type { ScratchNetModule, WasmDataset, WasmDatasetInfo } from '../../../wasm/scratchnet';
import { namedError } from '../data/errors';
import type { IdxFiles } from './protocol';

export interface ParsedData {
  train: WasmDataset;
  test: WasmDataset;
  rows: number;
  cols: number;
  trainCount: number;
  testCount: number;
  /** 1 + the largest label of either split. */
  classes: number;
}

function parseSplit(module: ScratchNetModule, images: Uint8Array, labels: Uint8Array, names: [string, string], split: string) {
  const set = new module.Dataset();
  try {
    return { set, info: set.parse(images, labels) as WasmDatasetInfo };
  } catch (e) {
    set.delete();
    const error = e as Error;
    const m = /^(images|labels)(:| file)/.exec(error.message);
    error.message = m ? `${m[1] === 'images' ? names[0] : names[1]}${error.message.slice(m[1]!.length)}` : `${split} set: ${error.message}`;
    throw error;
  }
}

/** Both splits in new Datasets (the caller owns and deletes them). */
export function parseData(module: ScratchNetModule, files: IdxFiles<Uint8Array>, names: IdxFiles<string>): ParsedData {
  const train = parseSplit(module, files.trainImages, files.trainLabels, [names.trainImages, names.trainLabels], 'training');
  let test;
  try {
    test = parseSplit(module, files.testImages, files.testLabels, [names.testImages, names.testLabels], 'test');
  } catch (e) {
    train.set.delete();
    throw e;
  }
  const [t, v] = [train.info, test.info];
  if (t.rows !== v.rows || t.cols !== v.cols) {
    train.set.delete();
    test.set.delete();
    throw namedError('FormatError', `training images are ${t.rows}x${t.cols} but test images are ${v.rows}x${v.cols}`);
  }
  return {
    train: train.set,
    test: test.set,
    rows: t.rows,
    cols: t.cols,
    trainCount: t.count,
    testCount: v.count,
    classes: Math.max(t.classes, v.classes),
  };
}
