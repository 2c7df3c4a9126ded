// sniffKind and isGzip byte by byte (web/src/data/sniff.ts): every signature it names, the
// bytes either side of each rule, and IDX headers never named.
import { describe, expect, it } from 'vitest';
import { formatError, namedError } from '../../web/src/data/errors';
import { isGzip, SNIFF_BYTES, sniffKind } from '../../web/src/data/sniff';

const b = (...v: number[]) => Uint8Array.from(v);
const text = (s: string) => new TextEncoder().encode(s);

describe('sniffKind', () => {
  it.each([
    ['PNG', b(0x89, 0x50, 0x4e, 0x47), 'a PNG image, not a data file'],
    ['JPEG', b(0xff, 0xd8, 0xff), 'a JPEG image, not a data file'],
    ['GIF', text('GIF89a'), 'a GIF image, not a data file'],
    ['zip', b(0x50, 0x4b, 0x03, 0x04), 'a zip archive — unpack it and choose the four IDX files inside'],
    ['empty zip', b(0x50, 0x4b, 0x05, 0x06), 'a zip archive — unpack it and choose the four IDX files inside'],
    ['PDF', text('%PDF'), 'a PDF document, not a data file'],
    ['bzip2', text('BZh9'), 'a bzip2 or xz archive — decompress it first (gzip is read directly)'],
    ['xz', b(0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00), 'a bzip2 or xz archive — decompress it first (gzip is read directly)'],
    ['7-Zip', b(0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c), 'a 7-Zip or RAR archive — unpack it and choose the four IDX files inside'],
    ['RAR', text('Rar!\x1a\x07'), 'a 7-Zip or RAR archive — unpack it and choose the four IDX files inside'],
    ['HTML', text('<html>'), 'a web page or other HTML/XML text (perhaps an error page served instead of the file)'],
    [
      'HTML after a BOM and white space',
      b(0xef, 0xbb, 0xbf, 0x20, 0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x3c, 0x80),
      'a web page or other HTML/XML text (perhaps an error page served instead of the file)',
    ],
    ['text with tabs and CRLF', text('a\tb\r\nc ~'), 'a text file, not a binary IDX file'],
    ['empty', b(), 'an empty file (0 bytes)'],
  ])('names %s', (_what, bytes, kind) => {
    expect(sniffKind(bytes)).toBe(kind);
  });

  it.each([
    ['an IDX images header', b(0, 0, 8, 3, 0, 0, 0, 1, 0, 0, 0, 28, 0, 0, 0, 28)],
    ['a signature cut short', b(0x89, 0x50, 0x4e)],
    ['a zip lookalike', b(0x50, 0x4b, 0x03, 0x05)],
    ['text with a DEL byte', text('abc\x7f')],
    ['text with a control byte', text('abc\x08')],
    ['text with a byte above ASCII', b(0x41, 0x42, 0xc3, 0xa9)],
    ['a BOM and binary', b(0xef, 0xbb, 0xbf, 0x00, 0x3c)],
    ['gzip (callers decide)', b(0x1f, 0x8b, 8, 0)],
  ])('does not name %s', (_what, bytes) => {
    expect(sniffKind(bytes)).toBeNull();
  });

  it('looks at the first 512 bytes only', () => {
    expect(SNIFF_BYTES).toBe(512);
    const longText = new Uint8Array(2000).fill(0x61);
    longText[SNIFF_BYTES] = 0; // binary after the sniffed part
    expect(sniffKind(longText)).toBe('a text file, not a binary IDX file');
    longText[SNIFF_BYTES - 1] = 0;
    expect(sniffKind(longText)).toBeNull();
    // White space past the first 512 bytes is not skipped to find a "<".
    const spaces = new Uint8Array(600).fill(0x20);
    spaces[SNIFF_BYTES + 4] = 0x3c;
    expect(sniffKind(spaces)).toBe('a text file, not a binary IDX file');
    spaces[SNIFF_BYTES - 1] = 0x3c;
    expect(sniffKind(spaces)).toBe('a web page or other HTML/XML text (perhaps an error page served instead of the file)');
  });
});

describe('isGzip and errors', () => {
  it('isGzip needs both magic bytes', () => {
    expect(isGzip(b(0x1f, 0x8b))).toBe(true);
    expect(isGzip(b(0x1f))).toBe(false);
    expect(isGzip(b(0x1f, 0x8c))).toBe(false);
    expect(isGzip(b(0x1e, 0x8b))).toBe(false);
  });

  it('named errors carry their kind and message', () => {
    const e = namedError('StateError', 'no model');
    expect([e instanceof Error, e.name, e.message]).toEqual([true, 'StateError', 'no model']);
    const f = formatError('bad magic');
    expect([f.name, f.message]).toEqual(['FormatError', 'bad magic']);
  });
});
