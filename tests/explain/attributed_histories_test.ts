/**
 * The named views of an attribution read the flat [batch, position, modality] arrays at the right
 * places: rows, recency, the strongest reasons, the per-(user, modality) vote against a planted
 * truth, the per-modality aggregate and the heatmap of a user's recent items.
 */
import {
  assert,
  assertAlmostEquals,
  assertEquals,
  assertStringIncludes,
  assertThrows,
} from "@std/assert";
import { aggregateByModality } from "../../lib/attribution/aggregate.ts";
import type { AttributionResult } from "../../lib/attribution/types.ts";
import type { InteractionDataset, PlantedTruth, SequenceBatch } from "../../lib/data/types.ts";
import { AttributedHistories, rowsTable } from "../../lib/explain/mod.ts";
import { SettingError } from "../../lib/util/settings.ts";

// Two histories of 3 positions, 2 modalities (id, text). Row 0 (user 5) has one padding position;
// item 3 lacks text.
const modalityNames = ["id", "text"];
const shape = [2, 3, 2] as const;
const validMask = Uint8Array.of(0, 0, 1, 1, 1, 0, /* row 1 */ 1, 1, 1, 1, 1, 1);
// Raw contribution = a code naming the pair: 100 * row + 10 * position + modality.
const contributions = Float32Array.from(
  { length: 12 },
  (_, i) => validMask[i] ? 100 * Math.floor(i / 6) + 10 * (Math.floor(i / 2) % 3) + (i % 2) : 0,
);
const normalised = Float32Array.from(contributions, (value, i) => validMask[i] ? value / 10 : NaN);
const noiseMask = Uint8Array.of(0, 0, 0, 1, 1, 0, /* row 1 */ 1, 0, 1, 0, 0, 1);
const result: AttributionResult = {
  contributions,
  normalised,
  userModalityScores: new Float32Array(4),
  noiseMask,
  interestMask: validMask.map((valid, i) => valid && !noiseMask[i] ? 1 : 0),
  validMask,
  shape,
  method: "gradient_x_input",
  normalisation: "zscore",
  selection: { kind: "bottom_fraction", rho: 0.3 },
  granularity: "pair",
  aggregateByModality: aggregateByModality(contributions, normalised, noiseMask, validMask, shape),
};
const batch: SequenceBatch = {
  users: Int32Array.of(5, 7),
  items: Int32Array.of(0, 1, 3, 2, 3, 4),
  valid: Float32Array.of(0, 1, 1, 1, 1, 1),
  batchSize: 2,
  length: 3,
};
const dataset = {
  userIds: Array.from({ length: 8 }, (_, u) => `u${u}`),
  itemIds: ["pad", "i1", "i2", "i3", "i4"],
  itemTitles: ["", "One", "Two", "A very long title that will be cut", "Four"],
} as unknown as InteractionDataset;
const histories = new AttributedHistories(result, batch, dataset, modalityNames);

Deno.test("AttributedHistories.rows: every valid pair once, named, at its flat index", () => {
  const rows = histories.rows();
  assertEquals(rows.length, validMask.reduce((sum, v) => sum + v, 0));
  const [first] = histories.rows({ user: 5 });
  // Row 0, position 1 (the oldest real item), modality id: code 10.
  assertEquals(first, {
    user: "u5",
    userIndex: 5,
    recency: 2,
    item: "One",
    itemIndex: 1,
    modality: "id",
    contribution: 10,
    normalised: 1,
    noise: false,
  });
  const text7 = histories.rows({ user: 7, modality: "text" });
  assertEquals(text7.map((row) => row.contribution), [101, 111, 121]);
  assertEquals(text7.map((row) => row.noise), [false, false, true]);
  assertEquals(histories.rows({ user: 7, lastItems: 1 }).map((row) => row.item), ["Four", "Four"]);
  assertThrows(
    () => histories.rows({ user: 6 }),
    SettingError,
    "RowFilter.user is 6; allowed: an internal user id of the batch (AttributedHistories.users, 2): 5, 7",
  );
});

Deno.test("AttributedHistories: a result of another shape than the batch is refused", () => {
  // Read with the batch's layout, a result of other positions or modalities would name every pair
  // wrongly without a word.
  assertThrows(
    () => new AttributedHistories({ ...result, shape: [2, 4, 2] }, batch, dataset, modalityNames),
    Error,
    "result shape [2,4,2] does not match the batch [2, 3]",
  );
  assertThrows(
    () => new AttributedHistories({ ...result, shape: [1, 3, 2] }, batch, dataset, modalityNames),
    Error,
    "does not match the batch",
  );
  assertThrows(
    () => new AttributedHistories(result, batch, dataset, ["id"]),
    Error,
    "1 modality names for 2 modalities",
  );
});

Deno.test("AttributedHistories.strongest: highest normalised contributions first", () => {
  const top = histories.strongest(7, 2);
  assertEquals(top.map((row) => [row.recency, row.modality]), [[1, "text"], [1, "id"]]);
});

Deno.test("AttributedHistories.userModalities: noise share, majority vote and planted role", () => {
  const truth = {
    modalityNames: ["text"],
    pointsOfInterest: Uint8Array.from({ length: 8 }, (_, u) => (u === 7 ? 1 : 0)),
  } as unknown as PlantedTruth;
  const rows = histories.userModalities({ truth });
  const id5 = rows.find((row) => row.userIndex === 5 && row.modality === "id")!;
  assertEquals([id5.items, id5.noiseShare, id5.calledNoise, id5.planted], [
    2,
    0.5,
    false,
    undefined,
  ]);
  const text5 = rows.find((row) => row.userIndex === 5 && row.modality === "text")!;
  // Row 0's text is valid only at position 1 (item 3 lacks it), where it is noise.
  assertEquals([text5.items, text5.noiseShare, text5.calledNoise, text5.planted], [
    1,
    1,
    true,
    "noise",
  ]);
  const id7 = rows.find((row) => row.userIndex === 7 && row.modality === "id")!;
  assertEquals([id7.noiseShare, id7.calledNoise], [2 / 3, true]);
  assertEquals(
    rows.find((row) => row.userIndex === 7 && row.modality === "text")!.planted,
    "point of interest",
  );
});

Deno.test("AttributedHistories.userModalities: meanNormalised is the mean over the user's items", () => {
  // Normalised = code / 10. User 5, id: positions 1 and 2 (1.0, 2.0); user 7, id: 10, 11, 12; user 5,
  // text: position 1 alone (1.1). A sum would read 3, 33 and 1.1.
  const rows = histories.userModalities();
  const mean = (user: number, modality: string) =>
    rows.find((row) => row.userIndex === user && row.modality === modality)!.meanNormalised;
  assertAlmostEquals(mean(5, "id"), 1.5, 1e-6);
  assertAlmostEquals(mean(7, "id"), 11, 1e-6);
  assertAlmostEquals(mean(5, "text"), 1.1, 1e-6);
});

Deno.test("AttributedHistories.userModalities: a modality none of the user's items carry has no row", () => {
  // One user, two positions; text is valid nowhere (no item has it): a row would be a mean of
  // nothing (NaN) and a noise share of 0 / 0.
  const valid = Uint8Array.of(1, 0, 1, 0);
  const zeros = new Float32Array(4);
  const alone = new AttributedHistories(
    {
      ...result,
      contributions: zeros,
      normalised: zeros,
      noiseMask: new Uint8Array(4),
      interestMask: valid,
      validMask: valid,
      shape: [1, 2, 2],
    },
    {
      users: Int32Array.of(5),
      items: Int32Array.of(1, 2),
      valid: Float32Array.of(1, 1),
      batchSize: 1,
      length: 2,
    },
    dataset,
    modalityNames,
  );
  assertEquals(alone.userModalities().map((row) => [row.modality, row.items]), [["id", 2]]);
});

Deno.test("AttributedHistories.byModality and rowsTable", () => {
  const byModality = histories.byModality();
  assertEquals(byModality.map((row) => [row.modality, row.pairs]), [["id", 5], ["text", 4]]);
  assertEquals(byModality[1].noiseRate, 2 / 4);
  const table = rowsTable(byModality);
  assertEquals(table.columns, [
    "modality",
    "pairs",
    "meanContribution",
    "meanNormalised",
    "noiseRate",
  ]);
  assertEquals(table.rows[0].slice(0, 2), ["id", 5]);
  // A field without a value stays missing (a table prints "–"), not the text "undefined".
  assertEquals(rowsTable([{ user: "u1", planted: undefined, called: true }]).rows, [
    ["u1", undefined, true],
  ]);
});

Deno.test("AttributedHistories.heatmap: the user's recent items, padding blank, labels cut", () => {
  const figure = histories.heatmap(5, { lastItems: 3, labelLength: 10 });
  const trace = figure.data[0] as { z: Array<Array<number | null>>; x: string[]; y: string[] };
  const flat = trace.z.flat();
  // Three positions x two modalities; the padding position and the missing text are blank.
  assertEquals(flat.filter((value) => value === null).length, 3);
  // z is [modality][position]: id at positions 1, 2 (codes 10, 20), text at position 1 (11).
  assertEquals(trace.z[0], [null, 1, 2]);
  assertEquals(trace.z[1].map((value) => value === null ? null : Math.round(value * 10)), [
    null,
    11,
    null,
  ]);
  const labels = [...trace.x, ...trace.y].join("|");
  assert(labels.includes("(padding)") && labels.includes("A very lo…"), labels);
});

Deno.test("AttributedHistories.heatmap: lastItems keeps the most recent items, not the oldest", () => {
  // User 5: padding, item 1 ("One"), item 3 (long title); the two most recent are the real ones.
  const figure = histories.heatmap(5, { lastItems: 2, labelLength: 10 });
  const trace = figure.data[0] as { z: Array<Array<number | null>>; x: string[] };
  assertEquals(trace.x, ["1. One", "2. A very lo…"]);
  assert(!trace.x.some((label) => label.includes("(padding)")), trace.x.join("|"));
  // id at positions 1, 2 (codes 10, 20); text at position 1 only (code 11; item 3 lacks text).
  assertEquals(trace.z[0], [1, 2]);
  assertEquals(trace.z[1].map((value) => value === null ? null : Math.round(value * 10)), [
    11,
    null,
  ]);
});

Deno.test("AttributedHistories.heatmap: a label exactly labelLength long is not cut", () => {
  // User 7: "Two", the long title, "Four"; at labelLength 4, "Four" fits and the long one is cut to
  // three characters and an ellipsis (four in all).
  const trace = histories.heatmap(7, { labelLength: 4 }).data[0] as { x: string[] };
  assertEquals(trace.x, ["1. Two", "2. A v…", "3. Four"]);
});

Deno.test("AttributedHistories.heatmap: options.values are drawn instead of the contributions", () => {
  // A [batch, position, modality] array unlike the normalised contributions: -(flat index).
  const values = Float32Array.from({ length: 12 }, (_, i) => -i);
  const figure = histories.heatmap(7, { values });
  const trace = figure.data[0] as { z: Array<Array<number | null>> };
  // User 7 is row 1: flat indices 6..11, z is [modality][position].
  assertEquals(trace.z, [[-6, -8, -10], [-7, -9, -11]]);
});

Deno.test("AttributedHistories.heatmap: the default title says how the values were computed", () => {
  // It read "User u: normalised contribution" whatever the method, so a saved figure did not say
  // which attribution it showed; over values of one's own it still claimed contributions.
  const titleOf = (figure: { layout: unknown }) => JSON.stringify(figure.layout);
  // The user as the data names them (u5), not the internal index.
  assertStringIncludes(
    titleOf(histories.heatmap(5)),
    "User u5: gradient × input, z-scored per user",
  );
  const ranked = new AttributedHistories(
    { ...result, method: "integrated_gradients", normalisation: "rank" },
    batch,
    dataset,
    modalityNames,
  );
  assertStringIncludes(titleOf(ranked.heatmap(5)), "integrated gradients, ranked per user");
  const own = titleOf(histories.heatmap(5, { values: new Float32Array(12) }));
  assert(!own.includes("contribution") && !own.includes("gradient"), own);
});

Deno.test("AttributedHistories: a count, filter or option out of range is a SettingError naming it", () => {
  // Each was accepted: strongest(u, -1) returned every pair but the weakest, a mistyped modality or
  // a lastItems of 0 an empty table, an unknown filter name was ignored (every user's rows), and
  // heatmap's errors named contributionHeatmap's parameters or read values past their end.
  const bad: Array<[() => unknown, string, string]> = [
    [() => histories.strongest(7, -1), "AttributedHistories.strongest: k", "an integer >= 1"],
    [() => histories.strongest(7, 1.5), "AttributedHistories.strongest: k", "an integer >= 1"],
    [() => histories.strongest(7, NaN), "AttributedHistories.strongest: k", "an integer >= 1"],
    [() => histories.strongest(7, 0), "AttributedHistories.strongest: k", "an integer >= 1"],
    [() => histories.strongest(6, 2), "AttributedHistories.strongest: user", ": 5, 7"],
    [
      () => histories.strongest(7, 2, { user: 5 } as never),
      "RowFilter.user",
      "one of the settings modality, lastItems",
    ],
    [() => histories.rows({ modality: "txet" }), "RowFilter.modality", 'one of "id", "text"'],
    [() => histories.rows({ lastItems: -3 }), "RowFilter.lastItems", "an integer >= 1"],
    [() => histories.rows({ lastItems: 0 }), "RowFilter.lastItems", "an integer >= 1"],
    [() => histories.rows({ lastItems: 1.5 }), "RowFilter.lastItems", "an integer >= 1"],
    [() => histories.rows({ lastItems: NaN }), "RowFilter.lastItems", "an integer >= 1"],
    [() => histories.rows({ usr: 5 } as never), "RowFilter.usr", "did you mean user?"],
    [() => histories.rows({ user: 1.5 }), "RowFilter.user", ": 5, 7"],
    [
      () => histories.userModalities({ user: 6 }),
      "AttributedHistories.userModalities: user",
      "5, 7",
    ],
    [
      () => histories.userModalities({ usr: 5 } as never),
      "AttributedHistories.userModalities options.usr",
      "did you mean user?",
    ],
    [
      () => histories.userModalities({ users: [5] } as never),
      "AttributedHistories.userModalities options.users",
      "one of the settings user, truth",
    ],
    [() => histories.heatmap(6), "AttributedHistories.heatmap: user", ": 5, 7"],
    [
      () => histories.heatmap(5, { lastItems: -5 }),
      "HistoryHeatmapOptions.lastItems",
      "an integer >= 1",
    ],
    [
      () => histories.heatmap(5, { lastItems: 0 }),
      "HistoryHeatmapOptions.lastItems",
      "an integer >= 1",
    ],
    [
      () => histories.heatmap(5, { lastItems: 2.5 }),
      "HistoryHeatmapOptions.lastItems",
      "an integer >= 1",
    ],
    [
      () => histories.heatmap(5, { values: [1, 2, 3] }),
      "HistoryHeatmapOptions.values.length",
      "is 3; allowed: 12, the attribution's [batch, position, modality] size [2,3,2]",
    ],
    // Longer than the attribution: its extra values belong to no pair.
    [
      () => histories.heatmap(5, { values: new Float32Array(13) }),
      "HistoryHeatmapOptions.values.length",
      "is 13; allowed: 12",
    ],
    // Not an array at all (a notebook is not type-checked): its length is undefined.
    [
      () => histories.heatmap(5, { values: 0.5 as never }),
      "HistoryHeatmapOptions.values.length",
      "allowed: 12",
    ],
    [
      () => histories.heatmap(5, { labelLength: 0 }),
      "HistoryHeatmapOptions.labelLength",
      "an integer >= 2",
    ],
    [
      () => histories.heatmap(5, { labelLength: 1 }),
      "HistoryHeatmapOptions.labelLength",
      "an integer >= 2",
    ],
    [
      () => histories.heatmap(5, { labelLength: 1.5 }),
      "HistoryHeatmapOptions.labelLength",
      "an integer >= 2",
    ],
    [
      () => histories.heatmap(5, { scale: "signd" as never }),
      "HistoryHeatmapOptions.scale",
      '"signed", "magnitude"',
    ],
    [() => histories.heatmap(5, { title: 3 as never }), "HistoryHeatmapOptions.title", "a string"],
    [
      () => histories.heatmap(5, { colorBarTitle: ["z"] as never }),
      "HistoryHeatmapOptions.colorBarTitle",
      "a string",
    ],
    [
      () => histories.heatmap(5, { lastItem: 3 } as never),
      "HistoryHeatmapOptions.lastItem",
      "did you mean lastItems?",
    ],
  ];
  for (const [call, setting, text] of bad) {
    const error = assertThrows(call, SettingError);
    assertEquals((error as SettingError).setting, setting, error.message);
    assertStringIncludes(error.message, text);
  }
  // The valid edges stay valid: more items than the history holds shows all of it; k past the
  // user's pairs returns them all.
  assertEquals(histories.rows({ user: 7, lastItems: 99 }).length, 6);
  assertEquals(histories.strongest(5, 99).length, 3);
  const whole = histories.heatmap(7, { lastItems: 99, labelLength: 2 }).data[0] as { x: string[] };
  assertEquals(whole.x, ["1. T…", "2. A…", "3. F…"]);
});

Deno.test("AttributedHistories: an unknown user's error lists up to 10 users, then ...", () => {
  // Ten users are listed whole; the eleventh and later are cut to "...".
  const historiesOf = (n: number) =>
    new AttributedHistories(
      {
        ...result,
        contributions: new Float32Array(n),
        normalised: new Float32Array(n),
        noiseMask: new Uint8Array(n),
        interestMask: new Uint8Array(n).fill(1),
        validMask: new Uint8Array(n).fill(1),
        shape: [n, 1, 1],
      },
      {
        users: Int32Array.from({ length: n }, (_, u) => u),
        items: new Int32Array(n).fill(1),
        valid: new Float32Array(n).fill(1),
        batchSize: n,
        length: 1,
      },
      dataset,
      ["id"],
    );
  const ten = assertThrows(() => historiesOf(10).rows({ user: 99 }), SettingError);
  assertStringIncludes(
    ten.message,
    "(AttributedHistories.users, 10): 0, 1, 2, 3, 4, 5, 6, 7, 8, 9",
  );
  assert(!ten.message.includes("..."), ten.message);
  const eleven = assertThrows(() => historiesOf(11).rows({ user: 99 }), SettingError);
  assertStringIncludes(
    eleven.message,
    "(AttributedHistories.users, 11): 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, ...",
  );
});

Deno.test("AttributedHistories.heatmap: by default the 12 most recent items", () => {
  // One user, 14 real positions, one modality; normalised = the position, so z names the columns.
  const n = 14;
  const long = new AttributedHistories(
    {
      ...result,
      contributions: new Float32Array(n),
      normalised: Float32Array.from({ length: n }, (_, p) => p),
      noiseMask: new Uint8Array(n),
      interestMask: new Uint8Array(n).fill(1),
      validMask: new Uint8Array(n).fill(1),
      shape: [1, n, 1],
    },
    {
      users: Int32Array.of(5),
      items: new Int32Array(n).fill(1),
      valid: new Float32Array(n).fill(1),
      batchSize: 1,
      length: n,
    },
    dataset,
    ["id"],
  );
  const trace = long.heatmap(5).data[0] as { z: number[][]; x: string[] };
  assertEquals(trace.z[0], Array.from({ length: 12 }, (_, p) => p + 2));
  assertEquals(trace.x.length, 12);
});

Deno.test("AttributedHistories.heatmap: the default scale is signed, even when every value is >= 0", () => {
  // Contributions are signed: a user whose shown values are all positive is still drawn on the
  // diverging scale around 0, not on a magnitude scale from 0 (the figure builder's own default).
  const colours = (figure: { data: unknown[] }) => {
    const { colorscale, zmid, zmin, zmax } = figure.data[0] as Record<string, unknown>;
    return JSON.stringify({ colorscale, zmid, zmin, zmax });
  };
  const byDefault = colours(histories.heatmap(7));
  assertEquals(byDefault, colours(histories.heatmap(7, { scale: "signed" })));
  assert(byDefault !== colours(histories.heatmap(7, { scale: "magnitude" })), byDefault);
});

Deno.test("AttributedHistories.strongest: ranks by the signed normalised value, not raw or absolute", () => {
  // One user, three items, one modality. Raw order (5, 2, -1) and absolute order (-3 first) both
  // differ from the normalised one (2, 1, -3): "mainly because of" is the largest positive
  // normalised contribution.
  const valid = Uint8Array.of(1, 1, 1);
  const alone = new AttributedHistories(
    {
      ...result,
      contributions: Float32Array.of(5, -1, 2),
      normalised: Float32Array.of(-3, 2, 1),
      noiseMask: new Uint8Array(3),
      interestMask: valid,
      validMask: valid,
      shape: [1, 3, 1],
    },
    {
      users: Int32Array.of(5),
      items: Int32Array.of(1, 2, 4),
      valid: Float32Array.of(1, 1, 1),
      batchSize: 1,
      length: 3,
    },
    dataset,
    ["id"],
  );
  assertEquals(alone.strongest(5, 3).map((row) => [row.item, row.normalised]), [
    ["Two", 2],
    ["Four", 1],
    ["One", -3],
  ]);
});

Deno.test("AttributedHistories.byModality: raw and normalised means each in its own field", () => {
  // id pairs: codes 10, 20 (row 0) and 100, 110, 120 (row 1); normalised = code / 10.
  const [id] = histories.byModality();
  assertAlmostEquals(id.meanContribution, 72, 1e-4);
  assertAlmostEquals(id.meanNormalised, 7.2, 1e-5);
});

Deno.test("AttributedHistories.heatmap: modality rows are named in the model's order", () => {
  const trace = histories.heatmap(7).data[0] as { z: Array<Array<number | null>>; y: string[] };
  assertEquals(trace.y, ["id", "text"]);
  // Row "id" holds the id values (codes 100, 110, 120 / 10).
  assertEquals(trace.z[0], [10, 11, 12]);
});

Deno.test("AttributedHistories: lastItems beyond a short history shows that history alone", () => {
  // User 7 is row 1 of histories of 3: asking for 5 items must not reach into row 0 (user 5).
  assertEquals(histories.rows({ user: 7, lastItems: 5 }), histories.rows({ user: 7 }));
  assertEquals(histories.strongest(7, 10, { lastItems: 5 }).length, 6);
  const trace = histories.heatmap(7, { lastItems: 5 }).data[0] as { x: string[] };
  assertEquals(trace.x.length, 3);
});

Deno.test("AttributedHistories.rows: users in batch order, each user's oldest item first", () => {
  const rows = histories.rows({ modality: "id" });
  assertEquals(rows.map((row) => [row.userIndex, row.recency]), [
    [5, 2],
    [5, 1],
    [7, 3],
    [7, 2],
    [7, 1],
  ]);
});
