/**
 * Behaviour of AttributedHistories that the main test file did not pin (mutation round RB): ties
 * among the strongest pairs, strongest's filter, one user's userModalities, the heatmap's label of a
 * real item that lacks the first modality, its own titles, and rowsTable's cells and columns.
 */
import { assertEquals, assertStringIncludes, assertThrows } from "@std/assert";
import { SettingError } from "../../lib/util/settings.ts";
import { aggregateByModality } from "../../lib/attribution/aggregate.ts";
import type { AttributionResult } from "../../lib/attribution/types.ts";
import type { InteractionDataset, PlantedTruth, SequenceBatch } from "../../lib/data/types.ts";
import { AttributedHistories, rowsFrame, rowsTable } from "../../lib/explain/mod.ts";

const dataset = {
  userIds: Array.from({ length: 8 }, (_, u) => `u${u}`),
  itemIds: ["pad", "i1", "i2", "i3", "i4"],
  itemTitles: ["", "One", "Two", "Three", "Four"],
} as unknown as InteractionDataset;

/** Histories of `users` (one row each) over `items` per row, with `modalityNames`. */
function historiesOf(
  users: number[],
  items: number[],
  modalityNames: string[],
  options: { normalised?: number[]; validMask?: number[]; batchValid?: number[] } = {},
): AttributedHistories {
  const length = items.length / users.length;
  const size = items.length * modalityNames.length;
  const shape = [users.length, length, modalityNames.length] as const;
  const validMask = Uint8Array.from(options.validMask ?? Array(size).fill(1));
  const normalised = Float32Array.from(options.normalised ?? Array(size).fill(0));
  const contributions = Float32Array.from(normalised, (value) => 10 * value);
  const noiseMask = new Uint8Array(size);
  const result: AttributionResult = {
    contributions,
    normalised,
    userModalityScores: new Float32Array(users.length * modalityNames.length),
    noiseMask,
    interestMask: validMask,
    validMask,
    shape,
    method: "gradient_x_input",
    normalisation: "zscore",
    selection: { kind: "bottom_fraction", rho: 0.3 },
    granularity: "pair",
    aggregateByModality: aggregateByModality(
      contributions,
      normalised,
      noiseMask,
      validMask,
      shape,
    ),
  };
  const batch: SequenceBatch = {
    users: Int32Array.from(users),
    items: Int32Array.from(items),
    valid: Float32Array.from(options.batchValid ?? items.map((item) => item > 0 ? 1 : 0)),
    batchSize: users.length,
    length,
  };
  return new AttributedHistories(result, batch, dataset, modalityNames);
}

Deno.test("AttributedHistories.strongest: ties keep the rows' order, oldest item first, then the model's modality order", () => {
  // Every pair ties at 0.5 but the middle item's text (1): it leads, then the ties as rows() lists
  // them. A reversed or unstable order would name a newer item or another modality first.
  const histories = historiesOf([5], [1, 2, 3], ["id", "text"], {
    normalised: [0.5, 0.5, 0.5, 1, 0.5, 0.5],
  });
  assertEquals(histories.strongest(5, 6).map((row) => [row.item, row.modality]), [
    ["Two", "text"],
    ["One", "id"],
    ["One", "text"],
    ["Two", "id"],
    ["Three", "id"],
    ["Three", "text"],
  ]);
  assertEquals(histories.strongest(5, 2).map((row) => [row.item, row.modality]), [
    ["Two", "text"],
    ["One", "id"],
  ]);
});

Deno.test("AttributedHistories.strongest: the filter's modality and lastItems apply", () => {
  // Text is strongest overall (normalised 9 at the oldest item); asked for id only, or for the most
  // recent item only, it must not appear.
  const histories = historiesOf([5], [1, 2, 3], ["id", "text"], {
    normalised: [1, 9, 2, 3, 4, 0],
  });
  assertEquals(histories.strongest(5, 1).map((row) => [row.item, row.modality]), [["One", "text"]]);
  assertEquals(
    histories.strongest(5, 1, { modality: "id" }).map((row) => [row.item, row.modality]),
    [["Three", "id"]],
  );
  assertEquals(
    histories.strongest(5, 2, { lastItems: 1 }).map((row) => [row.item, row.modality]),
    [["Three", "id"], ["Three", "text"]],
  );
});

Deno.test("AttributedHistories.userModalities: a user option keeps that user's rows alone", () => {
  const histories = historiesOf([5, 7], [1, 2, 3, 4], ["id", "text"]);
  assertEquals(histories.userModalities({ user: 7 }).map((row) => [row.userIndex, row.modality]), [
    [7, "id"],
    [7, "text"],
  ]);
  assertEquals(histories.userModalities().length, 4);
});

Deno.test("AttributedHistories.userModalities: the planted role is read at the user's own truth row", () => {
  // Users 2 and 6 in batch rows 0 and 1; the truth names only user 6's text as a point of interest.
  // Read at the batch row (1) or with the model's modality count as stride, user 6 would be noise.
  const histories = historiesOf([2, 6], [1, 2, 3, 4], ["id", "text"]);
  const truth = {
    modalityNames: ["text"],
    pointsOfInterest: Uint8Array.from({ length: 8 }, (_, u) => (u === 6 ? 1 : 0)),
  } as unknown as PlantedTruth;
  const planted = histories.userModalities({ truth }).filter((row) => row.modality === "text");
  assertEquals(planted.map((row) => [row.userIndex, row.planted]), [
    [2, "noise"],
    [6, "point of interest"],
  ]);
});

Deno.test("AttributedHistories.heatmap: a real item lacking the first modality is named, not '(padding)'", () => {
  // Modalities text, id: item 2 has no text. Its column is blank for text but it is a real item;
  // only a position the batch marks invalid is padding.
  const histories = historiesOf([5], [0, 1, 2], ["text", "id"], {
    validMask: [0, 0, 1, 1, 0, 1],
  });
  const trace = histories.heatmap(5).data[0] as { x: string[]; z: Array<Array<number | null>> };
  assertEquals(trace.x, ["1. (padding)", "2. One", "3. Two"]);
  assertEquals(trace.z[0][2], null);
});

Deno.test("AttributedHistories.heatmap: its own title and colour-bar title are used as given", () => {
  const histories = historiesOf([5], [1, 2], ["id"]);
  const layoutOf = (options: Parameters<AttributedHistories["heatmap"]>[1]) => {
    const figure = histories.heatmap(5, options);
    const trace = figure.data[0] as { colorbar: { title: { text: string } } };
    const layout = figure.layout as { title: { text: string } };
    return [layout.title.text, trace.colorbar.title.text];
  };
  assertEquals(layoutOf({ title: "Mine", colorBarTitle: "mask" }), ["Mine", "mask"]);
  // An empty title is a title (no text), not a request for the default one.
  assertEquals(layoutOf({ title: "" })[0], "");
});

Deno.test("rowsTable: no rows is an empty table; cells keep numbers, text, booleans and null", () => {
  assertEquals(rowsTable([]), { columns: [], rows: [] });
  const table = rowsTable([
    { user: "u1", items: 3, called: false, note: null, seen: [1, 2] },
  ]);
  assertEquals(table.columns, ["user", "items", "called", "note", "seen"]);
  // null stays null (the table prints "–"); any other object prints as its text.
  assertEquals(table.rows, [["u1", 3, false, null, "1,2"]]);
});

Deno.test("AttributedHistories: with a bad user and a bad option, the error names the user first", () => {
  // The user is the call's first argument and the lookup every view starts with.
  const histories = historiesOf([5], [1, 2], ["id"]);
  const strongest = assertThrows(() => histories.strongest(6, -1), SettingError);
  assertEquals((strongest as SettingError).setting, "AttributedHistories.strongest: user");
  const heatmap = assertThrows(() => histories.heatmap(6, { lastItems: 0 }), SettingError);
  assertEquals((heatmap as SettingError).setting, "AttributedHistories.heatmap: user");
});

Deno.test("AttributedHistories: a fractional user id is refused, not read as the user it rounds to", () => {
  const histories = historiesOf([5], [1, 2], ["id"]);
  for (const call of [() => histories.rows({ user: 5.5 }), () => histories.strongest(5.5, 1)]) {
    const error = assertThrows(call, SettingError);
    assertStringIncludes(error.message, "is 5.5; allowed: an internal user id of the batch");
  }
});

Deno.test("rowsFrame: one frame row per view row, in order", () => {
  const histories = historiesOf([5, 7], [1, 2, 3, 4], ["id"], { normalised: [1, 2, 3, 4] });
  const frame = rowsFrame(histories.rows());
  assertEquals(frame.shape, [4, 9]);
  assertEquals(frame.column("item").values, ["One", "Two", "Three", "Four"]);
});

Deno.test("rowsTable: a field only later rows have still gets its column (a planted role after a modality the truth lacks)", () => {
  // The model's first modality (id) is not in the truth, so the first rows have no planted role:
  // the columns were read from the first row alone, and the planted column was dropped for all.
  const histories = historiesOf([5], [1, 2], ["id", "text"]);
  const truth = {
    modalityNames: ["text"],
    pointsOfInterest: Uint8Array.from({ length: 8 }, (_, u) => (u === 5 ? 1 : 0)),
  } as unknown as PlantedTruth;
  const table = rowsTable(histories.userModalities({ truth }));
  assertEquals(table.columns.at(-1), "planted");
  assertEquals(table.rows.map((row) => row.at(-1)), [undefined, "point of interest"]);
  assertEquals(rowsTable([{ a: 1 }, { b: 2, a: 3 }]), {
    columns: ["a", "b"],
    rows: [[1, undefined], [3, 2]],
  });
});
Deno.test("AttributedHistories.heatmap: an empty colour-bar title is kept empty, as an empty title is", () => {
  // It was replaced in silence by contributionHeatmap's default "contribution".
  const histories = historiesOf([5], [1, 2], ["id"]);
  const trace = histories.heatmap(5, { colorBarTitle: "" }).data[0] as {
    colorbar: { title: { text: string } };
  };
  assertEquals(trace.colorbar.title.text, "");
});

Deno.test("AttributedHistories: a history of one item lacking a modality", () => {
  // One position: the id is valid, the text missing. No text row in userModalities (a mean of
  // nothing), one row in rows(), and a heatmap of one column with the text blank.
  const histories = historiesOf([5], [1], ["id", "text"], {
    validMask: [1, 0],
    normalised: [2, 0],
  });
  assertEquals(histories.userModalities().map((row) => [row.modality, row.items]), [["id", 1]]);
  assertEquals(histories.rows().map((row) => [row.item, row.recency, row.modality]), [
    ["One", 1, "id"],
  ]);
  const trace = histories.heatmap(5).data[0] as { x: string[]; z: Array<Array<number | null>> };
  assertEquals(trace.x, ["1. One"]);
  assertEquals(trace.z, [[2], [null]]);
});

Deno.test("AttributedHistories: a user whose window is all padding has no rows, no reasons, blank heatmap", () => {
  const histories = historiesOf([5, 7], [0, 0, 1, 2], ["id"], { validMask: [0, 0, 1, 1] });
  assertEquals(histories.rows({ user: 5 }), []);
  assertEquals(histories.strongest(5, 3), []);
  assertEquals(histories.userModalities({ user: 5 }), []);
  const trace = histories.heatmap(5).data[0] as { x: string[]; z: Array<Array<number | null>> };
  assertEquals(trace.x, ["1. (padding)", "2. (padding)"]);
  assertEquals(trace.z, [[null, null]]);
});
