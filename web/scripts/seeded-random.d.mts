// Types of seeded-random.mjs for the TypeScript tests that import it.
export function rng(seed: number): () => number;
export function shuffle<T>(list: T[], random: () => number): T[];
