/** The manifest of the committed MovieLens files: counts, layouts and hashes the loader checks. */

/** File names inside `data/movielens/`. */
export const MOVIELENS_FILES = {
  interactions: "interactions.csv",
  items: "items.csv",
  vocabulary: "title_vocabulary.txt",
  vectors: "title_vectors.f32",
  production: "production.csv",
  manifest: "manifest.json",
} as const;

/** Contents of `manifest.json`. */
export interface MovieLensManifest {
  format: "demure-movielens-1";
  source: string;
  interactions: number;
  users: number;
  items: number;
  tieBreak: string;
  text: {
    source: string;
    dim: number;
    words: number;
    dtype: "float32";
    byteOrder: "little-endian";
    /** Distinct title tokens (stop words excluded) and how many the vectors cover. */
    distinctTokens: number;
    coveredTokens: number;
  };
  production: { source: string; matchedItems: number };
  /** SHA-256 (hex) of each data file, keyed by file name. */
  sha256: Record<string, string>;
}
