// Which of the dropped files is which: the four standard MNIST names and their common
// spellings (train-images-idx3-ubyte, train-images.idx3-ubyte, t10k-..., test-..., .gz,
// emnist-digits-train-images-idx3-ubyte, fashion "train-images-idx3-ubyte.gz"...).

/** The four files of a data set. */
export type Role = 'trainImages' | 'trainLabels' | 'testImages' | 'testLabels';

/** Each file named for a person, in messages ("training images: …"). */
export const ROLE_NAMES: Record<Role, string> = {
  trainImages: 'training images',
  trainLabels: 'training labels',
  testImages: 'test images',
  testLabels: 'test labels',
};

export const ROLES = Object.keys(ROLE_NAMES) as Role[];

export interface FileMatch<F> {
  /** The file chosen for each role, when one was found. */
  assigned: Partial<Record<Role, F>>;
  /** Files that did not look like any of the four. */
  unknown: F[];
  /** Roles that two or more files claimed (the first one is kept). */
  duplicates: Role[];
}

/** Guesses the role of a file from its name, or null. */
export function roleOfName(fileName: string): Role | null {
  const n = fileName.toLowerCase().replace(/\.gz$/, '');
  const isTest = /(^|[^a-z])(t10k|test)([^a-z]|$)/.test(n);
  const isTrain = /(^|[^a-z])train([^a-z]|$)/.test(n);
  const isImages = /images|idx3/.test(n);
  const isLabels = /labels|idx1/.test(n);
  if (isImages === isLabels || isTest === isTrain) return null;
  if (isTrain) return isImages ? 'trainImages' : 'trainLabels';
  return isImages ? 'testImages' : 'testLabels';
}

export function matchFiles<F extends { name: string }>(files: readonly F[]): FileMatch<F> {
  const assigned: Partial<Record<Role, F>> = {};
  const unknown: F[] = [];
  const duplicates: Role[] = [];
  for (const f of files) {
    const role = roleOfName(f.name);
    if (!role) unknown.push(f);
    else if (assigned[role]) duplicates.push(role);
    else assigned[role] = f;
  }
  return { assigned, unknown, duplicates };
}

/** The roles still missing, named for a person ("test labels"), or [] when all four are there. */
export function missingRoles(assigned: Partial<Record<Role, unknown>>): string[] {
  return ROLES.filter((r) => !assigned[r]).map((r) => ROLE_NAMES[r]);
}

/** The standard file names, tried in this order when loading from a URL folder. */
export const STANDARD_NAMES: Record<Role, string> = {
  trainImages: 'train-images-idx3-ubyte',
  trainLabels: 'train-labels-idx1-ubyte',
  testImages: 't10k-images-idx3-ubyte',
  testLabels: 't10k-labels-idx1-ubyte',
};
