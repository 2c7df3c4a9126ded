// A few bytes of header sniffing, for a friendlier message than "bad magic number" when a person
// picks the wrong kind of file (a PNG, a zip, an error page). The IDX format itself is parsed by
// the engine (core/src/data/idx.cpp); nothing here reads past the first 512 bytes.

/** How many leading bytes sniffKind looks at. */
export const SNIFF_BYTES = 512;

const startsWith = (bytes: Uint8Array, sig: readonly number[]): boolean =>
  bytes.length >= sig.length && sig.every((b, i) => bytes[i] === b);

/** True when the bytes start with the gzip magic number 1f 8b. */
export function isGzip(bytes: Uint8Array): boolean {
  return startsWith(bytes, [0x1f, 0x8b]);
}

/**
 * Names common wrong kinds of file by their first bytes, for a person ("a PNG image — …"),
 * or null when the bytes look like none of them (an IDX file starts with 00 00 and is never
 * named here). Gzip is not named: callers decide whether gzip is expected.
 */
export function sniffKind(bytes: Uint8Array): string | null {
  if (bytes.length === 0) return 'an empty file (0 bytes)';
  if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47])) return 'a PNG image, not a data file';
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return 'a JPEG image, not a data file';
  if (startsWith(bytes, [0x47, 0x49, 0x46, 0x38])) return 'a GIF image, not a data file';
  if (startsWith(bytes, [0x50, 0x4b, 0x03, 0x04]) || startsWith(bytes, [0x50, 0x4b, 0x05, 0x06])) {
    return 'a zip archive — unpack it and choose the four IDX files inside';
  }
  if (startsWith(bytes, [0x25, 0x50, 0x44, 0x46])) return 'a PDF document, not a data file';
  if (startsWith(bytes, [0x42, 0x5a, 0x68]) || startsWith(bytes, [0xfd, 0x37, 0x7a, 0x58, 0x5a])) {
    return 'a bzip2 or xz archive — decompress it first (gzip is read directly)';
  }
  if (startsWith(bytes, [0x37, 0x7a, 0xbc, 0xaf]) || startsWith(bytes, [0x52, 0x61, 0x72, 0x21])) {
    return 'a 7-Zip or RAR archive — unpack it and choose the four IDX files inside';
  }
  // Text: skip a UTF-8 byte-order mark and leading white space.
  let i = startsWith(bytes, [0xef, 0xbb, 0xbf]) ? 3 : 0;
  while (i < bytes.length && i < SNIFF_BYTES && (bytes[i] === 0x20 || (bytes[i]! >= 0x09 && bytes[i]! <= 0x0d))) i++;
  if (bytes[i] === 0x3c /* < */) {
    return 'a web page or other HTML/XML text (perhaps an error page served instead of the file)';
  }
  const head = bytes.subarray(0, Math.min(bytes.length, SNIFF_BYTES));
  if (head.length > 0 && head.every((b) => b === 0x09 || b === 0x0a || b === 0x0d || (b >= 0x20 && b < 0x7f))) {
    return 'a text file, not a binary IDX file';
  }
  return null;
}
