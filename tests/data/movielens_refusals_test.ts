/**
 * loadMovieLens refuses committed files it cannot read right, naming the file, the line and the
 * field: each case is a copy of data/movielens with one file changed and manifest.json's digest of
 * it updated, so that the check behind the digest is what answers.
 */
import { assertEquals } from "@std/assert";
import { createHash } from "node:crypto";
import { DataError } from "../../lib/data/errors.ts";
import { loadMovieLens, MOVIELENS_DIR } from "../../lib/data/movielens/load.ts";

type Edit = (bytes: Uint8Array) => Uint8Array;
type Manifest = (json: Record<string, unknown>) => string | void;

/** A line-wise edit of a CSV or text file: `change(lines)` returns the new lines. */
function lines(change: (lines: string[]) => string[]): Edit {
  return (bytes) => {
    const text = new TextDecoder().decode(bytes);
    return new TextEncoder().encode(change(text.split("\n")).join("\n"));
  };
}

/**
 * Loads a copy of the committed folder with `edits` applied (and re-hashed unless `rehash` is
 * false) and manifest.json changed by `manifest` (its text, where it returns one); the error.
 */
async function loadEdited(
  edits: Record<string, Edit>,
  manifest: Manifest = () => {},
  rehash = true,
): Promise<{ error: unknown; dir: string }> {
  const dir = Deno.makeTempDirSync();
  const json = JSON.parse(Deno.readTextFileSync(`${MOVIELENS_DIR}/manifest.json`));
  for (const entry of Deno.readDirSync(MOVIELENS_DIR)) {
    if (entry.name === "manifest.json") continue;
    let bytes: Uint8Array = Deno.readFileSync(`${MOVIELENS_DIR}/${entry.name}`);
    if (edits[entry.name]) {
      bytes = edits[entry.name](bytes);
      if (rehash) json.sha256[entry.name] = createHash("sha256").update(bytes).digest("hex");
    }
    Deno.writeFileSync(`${dir}/${entry.name}`, bytes);
  }
  Deno.writeTextFileSync(`${dir}/manifest.json`, manifest(json) ?? JSON.stringify(json));
  const error = await loadMovieLens(dir).then(() => null, (caught: unknown) => caught);
  return { error, dir };
}

/** Asserts that the edited copy is refused with a DataError at `[file, line, field]`. */
async function assertRefused(
  edits: Record<string, Edit>,
  where: [string, number, string],
  manifest?: Manifest,
  rehash?: boolean,
): Promise<void> {
  const { error, dir } = await loadEdited(edits, manifest, rehash);
  try {
    if (!(error instanceof DataError)) throw new Error(`expected a DataError, got ${error}`);
    assertEquals([error.file, error.line, error.field], [`${dir}/${where[0]}`, ...where.slice(1)]);
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
}

/** Replaces field `column` of line `line` (1-based) with `value`. */
function setField(line: number, column: number, value: string): Edit {
  return lines((all) => {
    const fields = all[line - 1].split(",");
    fields[column] = value;
    all[line - 1] = fields.join(",");
    return all;
  });
}

Deno.test("loadMovieLens: an empty or non-numeric id, rating or timestamp is refused, not read as 0", async () => {
  // [file, line, column, value, the field the error names]
  const cases: [string, number, number, string, string][] = [
    ["interactions.csv", 2, 0, "", "userId"],
    ["interactions.csv", 3, 1, "", "movieId"],
    ["interactions.csv", 4, 2, "", "rating"],
    ["interactions.csv", 5, 2, "x", "rating"],
    ["interactions.csv", 6, 3, "", "timestamp"],
    ["items.csv", 2, 0, "", "movieId"],
    ["items.csv", 3, 2, "1995.5", "year"],
  ];
  for (const [file, line, column, value, field] of cases) {
    await assertRefused({ [file]: setField(line, column, value) }, [file, line, field]);
  }
});

Deno.test("loadMovieLens: a renamed column, a duplicate or unknown movie id is refused where it is", async () => {
  await assertRefused(
    { "interactions.csv": setField(1, 2, "stars") },
    ["interactions.csv", 1, "rating"],
  );
  await assertRefused({ "items.csv": setField(1, 3, "genre") }, ["items.csv", 1, "genres"]);
  // Line 3 given line 2's movie id (1): the second entry for it is the error.
  await assertRefused({ "items.csv": setField(3, 0, "1") }, ["items.csv", 3, "movieId"]);
  await assertRefused(
    { "interactions.csv": setField(2, 1, "999999999") },
    ["interactions.csv", 2, "movieId"],
  );
  await assertRefused(
    { "production.csv": setField(2, 0, "999999999") },
    ["production.csv", 2, "movieId"],
  );
});

Deno.test("loadMovieLens: counts, vector shape and format that differ from manifest.json are refused", async () => {
  await assertRefused({}, ["interactions.csv", 0, "rows"], (json) => {
    json.users = 672;
  });
  await assertRefused({}, ["manifest.json", 0, "format"], (json) => {
    json.format = "demure-movielens-2";
  });
  // One vector more than the vocabulary has words, and one byte more (no whole float32 value:
  // this was a RangeError that named no file).
  for (const more of [400, 1]) {
    const extra: Edit = (bytes) => Uint8Array.from([...bytes, ...new Uint8Array(more)]);
    await assertRefused({ "title_vectors.f32": extra }, ["title_vectors.f32", 0, "shape"]);
  }
  // A manifest cut short: this was a SyntaxError that named no file.
  await assertRefused(
    {},
    ["manifest.json", 0, "file"],
    (json) => JSON.stringify(json).slice(0, 50),
  );
});

Deno.test("loadMovieLens checks every data file against its digest in manifest.json", async () => {
  const names = ["interactions.csv", "production.csv", "title_vocabulary.txt", "title_vectors.f32"];
  for (const name of names) {
    const flipped: Edit = (bytes) => bytes.map((byte, i) => i === 40 ? byte ^ 1 : byte);
    await assertRefused({ [name]: flipped }, [name, 0, "sha256"], undefined, false);
  }
});

Deno.test("loadMovieLens: a year of 0 or less, an empty genre tag or a repeated production record is refused", async () => {
  // A year of 0 fell into the earliest bucket as a real year; an empty tag became a genre named "".
  for (const year of ["0", "-1"]) {
    await assertRefused({ "items.csv": setField(2, 2, year) }, ["items.csv", 2, "year"]);
  }
  for (const genres of ["", "Comedy||Romance", "Comedy|"]) {
    await assertRefused({ "items.csv": setField(3, 3, genres) }, ["items.csv", 3, "genres"]);
  }
  // Line 3 given line 2's movie id (1): counted twice toward the distributor and director
  // thresholds, and the features kept only the last record.
  await assertRefused({ "production.csv": setField(3, 0, "1") }, ["production.csv", 3, "movieId"]);
});
