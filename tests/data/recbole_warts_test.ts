/**
 * What a RecBole user's own atomic files carry (from an audit of the bring-your-own-data route):
 * each wart is either read as documented or refused at its file, line and field, never read
 * silently otherwise than RecBole reads it.
 */
import { assert, assertEquals } from "@std/assert";
import { readRecBoleAtomic } from "../../lib/data/import/recbole.ts";
import { assertDataError, importFixtures } from "./_import_fixtures.ts";

const { write: fixture } = importFixtures("recbole_warts_test_");

const INTER = "user_id:token\titem_id:token\trating:float\ttimestamp:float\n" +
  "7\t01\t4\t10\n7\t02\t5\t20\n8\t02\t3\t5\n8\t03\t1\t6\n";
const ITEM = "item_id:token\tcategories:token_seq\ttitle:token_seq\tprice:float\n" +
  "01\tcomédie drama\tAmélie\t9.5\n02\t\tdark city\t\n03\tkids\tnight\t3\n";

/** Histories as external ids, and each modality's name, vocabulary and presence. */
function shape(base: string) {
  const data = readRecBoleAtomic(base);
  return {
    histories: data.sequences.map((
      s,
      u,
    ) => [data.userIds[u], ...Array.from(s, (i) => data.itemIds[i])]),
    modalities: data.modalities.map((m) => [m.name, m.vocabulary, Array.from(m.present)]),
  };
}

Deno.test("RecBole warts read as the clean file: BOM, CRLF, column order, extra columns, 007", () => {
  const clean = shape(fixture({ ".inter": INTER, ".item": ITEM }));
  // Ids stay tokens ("01", not 1), non-ASCII tokens are kept, an empty token_seq is missing.
  assertEquals(clean.histories, [["7", "01", "02"], ["8", "02", "03"]]);
  assertEquals(clean.modalities[1], ["categories", ["comédie", "drama", "kids"], [1, 0, 1]]);
  const crlf = (text: string) => "\uFEFF" + text.replaceAll("\n", "\r\n");
  const reordered = INTER.split("\n").map((line) => {
    const [user, item, rating, time] = line.split("\t");
    return line === "" ? "" : [time, item, user, rating, "x"].join("\t");
  }).join("\n").replace("\tx\n", "\tsession:token\n");
  assertEquals(shape(fixture({ ".inter": crlf(reordered), ".item": crlf(ITEM) })), clean);
});

Deno.test("a value starting with a double quote is refused at its line and column (RecBole unquotes it)", () => {
  const title = fixture({
    ".inter": INTER,
    ".item": ITEM.replace("\tdark city\t", '\t"dark, city" noir\t'),
  });
  assertDataError(
    () => readRecBoleAtomic(title),
    `${title}.item`,
    3,
    "title:token_seq",
    "starts with a double quote",
  );
  // A quoted tab is named at its own column, not as an extra field of the last one.
  const tab = fixture({
    ".inter": INTER,
    ".item": ITEM.replace("\tdark city\t", '\t"dark\tcity"\t'),
  });
  assertDataError(() => readRecBoleAtomic(tab), `${tab}.item`, 3, "title:token_seq", "quot");
  const id = fixture({ ".inter": INTER.replace("8\t02", '"8"\t02') });
  assertDataError(() => readRecBoleAtomic(id), `${id}.inter`, 4, "user_id:token", "double quote");
  // A quote inside a value is an ordinary character, for pandas too.
  const inch = fixture({ ".inter": INTER, ".item": ITEM.replace("\tnight\t", '\t12" pizza\t') });
  assertEquals(readRecBoleAtomic(inch).modalities[2].vocabulary?.includes('12"'), true);
});

Deno.test("a tab inside a value: the field-count error says that tabs always separate fields", () => {
  const base = fixture({
    ".inter": INTER,
    ".item": ITEM.replace("\tdark city\t", "\tdark\tcity\t"),
  });
  assertDataError(
    () => readRecBoleAtomic(base),
    `${base}.item`,
    3,
    "price:float",
    "5 fields, header has 4 (a tab inside a value?",
  );
});

Deno.test(".item: nan is refused with how a missing value is written (an empty cell)", () => {
  const base = fixture({ ".inter": INTER, ".item": ITEM.replace("\t9.5\n", "\tNaN\n") });
  assertDataError(
    () => readRecBoleAtomic(base),
    `${base}.item`,
    2,
    "price:float",
    "a missing value is an empty cell here",
  );
});

Deno.test("items without an .item row: the one error counts every such line and item", () => {
  const base = fixture({
    ".inter": `${INTER}9\t04\t1\t1\n9\t05\t1\t2\n9\t04\t1\t3\n`,
    ".item": ITEM,
  });
  assertDataError(
    () => readRecBoleAtomic(base),
    `${base}.inter`,
    6,
    "item_id:token",
    'unknown item id "04" (not in ' + `${base}.item); 3 lines name 2 items without a row there`,
  );
});

Deno.test("rows repeating a (user, item, timestamp) are kept as interactions and stated", () => {
  // Line 6 repeats line 3 (user 7, item 02 at 20); line 8 repeats it again, after another item
  // at 20.
  const base = fixture({ ".inter": `${INTER}7\t02\t1\t20\n7\t03\t1\t20\n7\t02\t1\t20\n` });
  const data = readRecBoleAtomic(base);
  assertEquals(data.sequences[0].length, 5);
  assert(
    data.metadata.preprocessing.includes(
      "2 rows repeat an earlier row's user, item and timestamp (first: line 6 repeats line 3 " +
        `of ${base}.inter): kept as repeated interactions`,
    ),
    data.metadata.preprocessing.join("\n"),
  );
  // The same item at another time is a repeated interaction, not a duplicate row.
  const again = readRecBoleAtomic(fixture({ ".inter": `${INTER}7\t02\t1\t30\n` }));
  assertEquals(again.metadata.preprocessing.some((line) => line.includes("repeat")), false);
});

Deno.test("a token with whitespace at either end is refused at its line and column, not trimmed", () => {
  // Trimmed, "8 " and "8\u00A0" were user 8 (two users merged without a word); RecBole keeps
  // the whitespace, so they are other users there.
  const cases: [string, string, string, number, string, string][] = [
    [".inter", "8\t02", "8 \t02", 4, "user_id:token", '"8" ends with whitespace U+0020'],
    [".inter", "8\t02", "8\u00A0\t02", 4, "user_id:token", "U+00A0 (no-break space)"],
    [".inter", "8\t03", " 8\t03", 5, "user_id:token", '"8" starts with whitespace U+0020'],
    [".inter", "7\t02", "7\t02\u2003", 3, "item_id:token", '"02" ends with whitespace U+2003'],
    [".inter", "7\t02", "7\t0\v2", 3, "item_id:token", "U+000B (vertical tab)"],
    [".item", "03\tkids", "03 \tkids", 4, "item_id:token", '"03" ends with whitespace'],
  ];
  for (const [extension, from, to, line, field, detail] of cases) {
    const files = { ".inter": INTER, ".item": ITEM };
    files[extension as keyof typeof files] = files[extension as keyof typeof files].replace(
      from,
      to,
    );
    const base = fixture(files);
    assertDataError(() => readRecBoleAtomic(base), `${base}${extension}`, line, field, detail);
  }
  // A token feature column too: "x " and "x" were one token.
  const genre = fixture({
    ".inter": INTER,
    ".item": "item_id:token\tgenre:token\n01\tx\n02\tx\u00A0\n03\t\n",
  });
  assertDataError(
    () => readRecBoleAtomic(genre),
    `${genre}.item`,
    3,
    "genre:token",
    '"x" ends with whitespace U+00A0',
  );
  // A space inside a token is part of it, as in RecBole.
  const inside = shape(fixture({ ".inter": INTER.replaceAll("8\t", "user 8\t"), ".item": ITEM }));
  assertEquals(inside.histories[1][0], "user 8");
});

Deno.test("a timestamp in the .inter's first column orders each history and is kept", () => {
  // Column 0 is a column like any other: a check of `time > 0` for "has a timestamp" read this
  // file in line order with every timestamp 0, or without timestamps.
  const data = readRecBoleAtomic(fixture({
    ".inter": "timestamp:float\tuser_id:token\titem_id:token\n30\tu1\ta\n10\tu1\tb\n20\tu1\tc\n",
  }));
  assertEquals(data.sequences.map((s) => Array.from(s, (i) => data.itemIds[i])), [["b", "c", "a"]]);
  assertEquals(data.timestamps?.map((t) => Array.from(t)), [[10, 20, 30]]);
  assertEquals(data.metadata.tieBreak, "by timestamp, then by line order of the .inter file");
});

Deno.test(".inter columns the dataset does not use are named on its card, with what is done to them", () => {
  // A session column was ignored without a word; a rating is checked, then unused.
  const withSession = INTER.split("\n").map((line, k) =>
    line === "" ? "" : `${line}\t${k === 0 ? "session:token" : `s${k}`}`
  ).join("\n");
  const base = fixture({ ".inter": withSession, ".item": ITEM });
  assert(
    readRecBoleAtomic(base).metadata.preprocessing.includes(
      `columns of ${base}.inter not used: rating:float (checked to be numbers), session:token ` +
        "(not read)",
    ),
  );
  // Only the columns the dataset uses: no note of unused columns (only of the row order).
  const bare = fixture({ ".inter": "user_id:token\titem_id:token\nu1\ta\n" });
  assertEquals(readRecBoleAtomic(bare).metadata.preprocessing, [
    "every interaction kept as implicit feedback",
    `each user's history is in the row order of ${bare}.inter, which has no timestamp column`,
  ]);
});

Deno.test(".item: a signed nan (-nan, +NaN, as pandas reads them) gets the empty-cell advice too", () => {
  for (const nan of ["-nan", "+NaN"]) {
    const base = fixture({ ".inter": INTER, ".item": ITEM.replace("\t9.5\n", `\t${nan}\n`) });
    assertDataError(
      () => readRecBoleAtomic(base),
      `${base}.item`,
      2,
      "price:float",
      "a missing value is an empty cell here",
    );
  }
});

Deno.test(".item: a token repeated in a token_seq cell is one hot value, not a count", () => {
  const base = fixture({
    ".inter": INTER,
    ".item": ITEM.replace("comédie drama", "drama comédie drama"),
  });
  const categories = readRecBoleAtomic(base).modalities.find((m) => m.name === "categories");
  assertEquals(categories?.vocabulary, ["comédie", "drama", "kids"]);
  assertEquals(Array.from(categories?.values ?? []), [1, 1, 0, 0, 0, 0, 0, 0, 1]);
});

Deno.test(".item: token_seq tokens joined by '|' or ',' are read as one token each, and the card says so", () => {
  // MovieLens-style "Action|Comedy" in a token_seq column: one token for RecBole too (it splits on
  // spaces), so the genre modality held combinations without a word on the card.
  const inter = "user_id:token\titem_id:token\nu1\ta\nu1\tb\nu1\tc\n";
  const joined = fixture({
    ".inter": inter,
    ".item":
      "item_id:token\tgenre:token_seq\ttag:token\na\tAction|Comedy\tx|y\nb\tAction,Drama\tz\n" +
      "c\tDrama\tz\n",
  });
  const dataset = readRecBoleAtomic(joined);
  assertEquals(dataset.modalities.find((m) => m.name === "genre")!.dim, 3);
  const notes = dataset.metadata.preprocessing.filter((note) => note.includes("genre"));
  assertEquals(notes, [
    `column genre:token_seq of ${joined}.item: 2 of its 3 tokens hold "|" or "," ("Action,Drama", ` +
    '"Action|Comedy"), each read as one token, as RecBole reads it: the tokens of a token_seq ' +
    "cell are separated by spaces",
  ]);
  // A token column holds one category per cell by definition: no note for it.
  assert(!dataset.metadata.preprocessing.some((note) => note.includes("tag:token")));
  const spaced = fixture({
    ".inter": inter,
    ".item": "item_id:token\tgenre:token_seq\na\tAction Comedy\nb\tDrama\nc\tDrama\n",
  });
  assert(!readRecBoleAtomic(spaced).metadata.preprocessing.some((note) => note.includes("genre")));
});
