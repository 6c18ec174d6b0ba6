/**
 * A small hand-written MovieLens folder (three movies, a few ratings, 2-d vectors), written to a
 * temp folder with a manifest that matches it, for loadMovieLens tests: the dataset it loads, or
 * the DataError it is refused with, the file named relative to the folder.
 */
import { assertEquals } from "@std/assert";
import { createHash } from "node:crypto";
import { parseCsv } from "../../lib/data/csv.ts";
import { DataError } from "../../lib/data/errors.ts";
import type { InteractionDataset } from "../../lib/data/types.ts";
import { loadMovieLens } from "../../lib/data/movielens/load.ts";

/** The data files of a small folder, by name. */
export type Files = Record<string, string | Uint8Array>;

export const SMALL: Files = {
  "items.csv": "movieId,title,year,genres\n1,Heat,1995,Action\n2,Red Dawn,1984,Action|War\n" +
    "3,Old,1950,(no genres listed)\n",
  "interactions.csv": "userId,movieId,rating,timestamp\n1,1,4,10\n1,2,3.5,20\n2,3,5,15\n",
  "production.csv": "movieId,mpaa,creativeType,source,distributor,director\n1,R,,,W,M\n",
  "title_vocabulary.txt": "heat\nred\n",
  "title_vectors.f32": new Uint8Array(Float32Array.of(1, 0, 0, 1).buffer),
};

/** Records of `interactions.csv` (a quoted field may span lines) and its distinct users. */
function counts(interactions: string): { interactions: number; users: number } {
  const { rows } = parseCsv(interactions, "interactions.csv");
  return { interactions: rows.length, users: new Set(rows.map((row) => row[0])).size };
}

/**
 * Writes SMALL with `changes` and a manifest that matches the files (digests, counts), then
 * changed by `manifest`, to a temp folder; loads it; removes the folder. The dataset, or the error
 * with its file given relative to the folder.
 */
export async function loadSmall(
  changes: Files = {},
  manifest: (json: Record<string, unknown>) => void = () => {},
): Promise<InteractionDataset | DataError> {
  const files = { ...SMALL, ...changes };
  const json: Record<string, unknown> = {
    format: "demure-movielens-1",
    source: "small",
    ...counts(files["interactions.csv"] as string),
    items: 3,
    tieBreak: "file order",
    text: { source: "small", dim: 2, words: 2, dtype: "float32", byteOrder: "little-endian" },
    production: { source: "small", matchedItems: 1 },
    sha256: Object.fromEntries(
      Object.entries(files).map(([name, data]) => [
        name,
        createHash("sha256").update(data).digest("hex"),
      ]),
    ),
  };
  manifest(json);
  const dir = Deno.makeTempDirSync();
  try {
    for (const [name, data] of Object.entries(files)) {
      if (typeof data === "string") Deno.writeTextFileSync(`${dir}/${name}`, data);
      else Deno.writeFileSync(`${dir}/${name}`, data);
    }
    Deno.writeTextFileSync(`${dir}/manifest.json`, JSON.stringify(json));
    return await loadMovieLens(dir).catch((error: unknown) => {
      if (!(error instanceof DataError)) throw error;
      return new DataError(error.file.slice(dir.length + 1), error.line, error.field, error.detail);
    });
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
}

/** Asserts that the small folder with `changes` is refused at `[file, line, field]`; the error. */
export async function assertRefused(
  changes: Files,
  where: [string, number, string],
  manifest?: (json: Record<string, unknown>) => void,
): Promise<DataError> {
  const result = await loadSmall(changes, manifest);
  if (!(result instanceof DataError)) throw new Error(`expected a DataError at ${where.join(":")}`);
  assertEquals([result.file, result.line, result.field], where);
  return result;
}
