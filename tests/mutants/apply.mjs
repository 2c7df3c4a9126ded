// Applies one mutant (an exact-string substitution, see README.md) to the tree at ROOT.
// usage: node apply.mjs MUTANT_FILE ROOT [--check]
// --check only verifies that the text to replace occurs exactly once. Exits 3, naming the file
// and the text, when it does not: core moves on, and a mutant that no longer applies must be
// rewritten, never skipped.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const [mutantPath, root, flag] = process.argv.slice(2);
if (!mutantPath || !root) {
  console.error('usage: node apply.mjs MUTANT_FILE ROOT [--check]');
  process.exit(2);
}

function parse(text) {
  const lines = text.split('\n');
  let file = null;
  let section = null;
  const parts = { find: [], replace: [] };
  let ended = false;
  for (const line of lines) {
    if (section === null && line.startsWith('#')) continue;
    if (section === null && line.startsWith('file:')) {
      file = line.slice(5).trim();
    } else if (line === '--- find') {
      section = 'find';
    } else if (line === '--- replace') {
      section = 'replace';
    } else if (line === '--- end') {
      ended = true;
      section = null;
    } else if (section) {
      parts[section].push(line);
    }
  }
  if (!file || !ended || parts.find.length === 0) {
    throw new Error('needs "file:", "--- find", "--- replace" and "--- end" sections');
  }
  return { file, find: parts.find.join('\n'), replace: parts.replace.join('\n') };
}

let mutant;
try {
  mutant = parse(readFileSync(mutantPath, 'utf8'));
} catch (e) {
  console.error(`MUTANT BROKEN: ${mutantPath}: ${e.message}`);
  process.exit(3);
}
const target = join(root, mutant.file);
let source;
try {
  source = readFileSync(target, 'utf8');
} catch {
  console.error(`MUTANT NO LONGER APPLIES: ${mutantPath}: ${mutant.file} does not exist`);
  process.exit(3);
}
const count = source.split(mutant.find).length - 1;
if (count !== 1) {
  console.error(
    `MUTANT NO LONGER APPLIES: ${mutantPath}: the text to replace occurs ${count} times ` +
      `in ${mutant.file} (needs exactly 1):\n${mutant.find}`,
  );
  process.exit(3);
}
if (flag !== '--check')
  writeFileSync(
    target,
    source.replace(mutant.find, () => mutant.replace),
  );
console.log(mutant.file);
