// One entry point for "the person picked a data set": loads it into the page (validated,
// for the sample strip) and says how the worker should get it. The bundled and listed sets are
// fetched by URL in the worker too (it can reload them after a crash); dropped files and
// URL folders go over as bytes (copies, so the page keeps its own).
import type { DatasetSpec } from '../worker/protocol';
import { loadFromFiles, loadFromIndex, loadFromUrl, type DataSetInfo, type LoadedDataSet, type Progress } from './sources';

export type DataRequest =
  | { kind: 'listed'; info: DataSetInfo }
  | { kind: 'files'; files: File[] }
  | { kind: 'url'; url: string };

export interface DataLoad {
  data: LoadedDataSet;
  spec: DatasetSpec;
}

export async function loadDataRequest(req: DataRequest, indexUrl: URL, progress: Progress): Promise<DataLoad> {
  if (req.kind === 'listed') {
    const data = await loadFromIndex(req.info, indexUrl, progress);
    const abs = (u: string) => new URL(u, indexUrl).href;
    const spec: DatasetSpec =
      req.info.id === 'mnist'
        ? { kind: 'bundled', baseUrl: new URL('..', indexUrl).href }
        : {
            kind: 'urls',
            name: req.info.label,
            files: {
              trainImages: abs(req.info.files.trainImages),
              trainLabels: abs(req.info.files.trainLabels),
              testImages: abs(req.info.files.testImages),
              testLabels: abs(req.info.files.testLabels),
            },
          };
    return { data, spec };
  }
  const data = req.kind === 'files' ? await loadFromFiles(req.files, progress) : await loadFromUrl(req.url, progress);
  return {
    data,
    spec: {
      kind: 'bytes',
      name: data.label,
      files: {
        trainImages: data.raw.trainImages.slice(),
        trainLabels: data.raw.trainLabels.slice(),
        testImages: data.raw.testImages.slice(),
        testLabels: data.raw.testLabels.slice(),
      },
    },
  };
}
