// Seeded randomness for reproducible splits and test data (prepare-data.mjs, the draw tests):
// mulberry32, a tiny PRNG (enough for a fixed shuffle, not for anything statistical), and a
// Fisher-Yates shuffle driven by it.

/** A generator of floats in [0, 1) that gives the same sequence for the same seed. */
export function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Shuffles `list` in place (Fisher-Yates, from the end) and returns it. */
export function shuffle(list, random) {
  for (let i = list.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [list[i], list[j]] = [list[j], list[i]];
  }
  return list;
}
