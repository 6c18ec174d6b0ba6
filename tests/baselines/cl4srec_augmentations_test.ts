/**
 * `Cl4SRecConfig.augmentations` and `.similarity` (the options of `bench/cl4srec_diagnosis.ts`): a
 * view drawn from one augmentation alone is always that augmentation; the default draws among all
 * three exactly as before the option existed (one `rng.int(3)` a view, in the order crop, mask,
 * reorder); a bad list or similarity is refused naming the setting. The sizes at their edges: a
 * crop keeps at least one item, a mask hides floor(ratio * n) positions, a reorder window of two
 * is swapped, the last window included.
 */
import { assert, assertEquals, assertThrows } from "@std/assert";
import {
  augmentView,
  cl4srecAuxiliaryLoss,
  type Cl4SRecConfig,
  cropView,
  DEFAULT_CL4SREC_CONFIG,
  maskView,
  reorderView,
} from "../../lib/baselines/cl4srec.ts";
import { createRng, type Rng } from "../../lib/util/random.ts";
import { SettingError } from "../../lib/util/settings.ts";

const HISTORY = Int32Array.from({ length: 20 }, (_, i) => 100 + i);
const only = (augmentation: "crop" | "mask" | "reorder"): Cl4SRecConfig => ({
  ...DEFAULT_CL4SREC_CONFIG,
  augmentations: [augmentation],
});

Deno.test("CL4SRec augmentations: one alone is the only one drawn", () => {
  const rng = createRng(5);
  for (let k = 0; k < 30; k++) {
    const crop = augmentView(HISTORY, only("crop"), rng);
    assertEquals(crop.items.length, Math.floor(0.6 * HISTORY.length));
    // Whole, one 0 per kept item: every() passed a mask of no positions at all.
    assertEquals(crop.masked, new Uint8Array(crop.items.length));
    const mask = augmentView(HISTORY, only("mask"), rng);
    assertEquals(mask.items, HISTORY);
    assertEquals(mask.masked.reduce((s, m) => s + m, 0), Math.floor(0.3 * HISTORY.length));
    assertEquals(mask.masked.length, HISTORY.length);
    const reorder = augmentView(HISTORY, only("reorder"), rng);
    assertEquals(reorder.items.length, HISTORY.length);
    assertEquals([...reorder.items].sort(), [...HISTORY].sort());
    assertEquals(reorder.masked, new Uint8Array(HISTORY.length));
  }
});

Deno.test("CL4SRec augmentations: the default draws crop, mask, reorder as rng.int(3) picks them", () => {
  const drawn = createRng(11);
  const expected = createRng(11);
  for (let k = 0; k < 60; k++) {
    const view = augmentView(HISTORY, DEFAULT_CL4SREC_CONFIG, drawn);
    const choice = expected.int(3);
    const by = choice === 0
      ? cropView(HISTORY, DEFAULT_CL4SREC_CONFIG.cropRatio, expected)
      : choice === 1
      ? maskView(HISTORY, DEFAULT_CL4SREC_CONFIG.maskRatio, expected)
      : reorderView(HISTORY, DEFAULT_CL4SREC_CONFIG.reorderRatio, expected);
    assertEquals(view, by);
  }
});

Deno.test("CL4SRec augmentations and similarity: bad values are refused, naming the setting", () => {
  const bad: [Partial<Cl4SRecConfig>, string][] = [
    [{ augmentations: [] }, "Cl4SRecConfig.augmentations"],
    [{ augmentations: ["crop", "crop"] }, "Cl4SRecConfig.augmentations"],
    [
      { augmentations: ["shuffle"] as unknown as Cl4SRecConfig["augmentations"] },
      "Cl4SRecConfig.augmentations",
    ],
    [
      { similarity: "euclid" as unknown as Cl4SRecConfig["similarity"] },
      "Cl4SRecConfig.similarity",
    ],
    // A temperature of 0 divides by zero.
    [{ temperature: 0 }, "Cl4SRecConfig.temperature"],
  ];
  for (const [config, setting] of bad) {
    assertThrows(() => cl4srecAuxiliaryLoss(config), SettingError, setting);
  }
});

Deno.test("CL4SRec crop keeps at least one item, even when ratio * n is below 1", () => {
  // floor(0.6 * 1) = 0 and floor(0.2 * 3) = 0: an empty view would leave a row with no last state.
  const rng = createRng(2);
  assertEquals(cropView(Int32Array.of(7), 0.6, rng).items, Int32Array.of(7));
  for (let k = 0; k < 10; k++) {
    const view = cropView(Int32Array.of(4, 5, 6), 0.2, rng);
    assertEquals(view.items.length, 1);
    assertEquals(view.masked, new Uint8Array(1));
  }
  // 0.6 * 7 = 4.2: four items (the products in the tests above are exact, floor = ceil there).
  assertEquals(cropView(Int32Array.from({ length: 7 }, (_, i) => i), 0.6, rng).items.length, 4);
});

Deno.test("CL4SRec mask hides floor(ratio * n) positions (not rounded up)", () => {
  // 0.3 * 7 = 2.1: two positions, at distinct places; 0.3 * 20 = 6 in the test above is exact, so
  // it cannot tell floor from ceil.
  const rng = createRng(4);
  const items = Int32Array.from({ length: 7 }, (_, i) => 30 + i);
  for (let k = 0; k < 10; k++) {
    const view = maskView(items, 0.3, rng);
    assertEquals(view.masked.reduce((s, m) => s + m, 0), 2);
    assertEquals(view.items, items);
  }
});

Deno.test("CL4SRec reorder shuffles a window of 2 (a swap), not only wider ones", () => {
  // floor(0.5 * 4) = 2: the window is two neighbours, swapped or left as they are with equal chance.
  const rng = createRng(8);
  const items = Int32Array.of(1, 2, 3, 4);
  const swapped = new Set<number>();
  for (let k = 0; k < 60; k++) {
    const view = reorderView(items, 0.5, rng);
    const changed = [...view.items.keys()].filter((i) => view.items[i] !== items[i]);
    // Either unchanged or exactly two neighbours exchanged.
    assert(changed.length === 0 || (changed.length === 2 && changed[1] === changed[0] + 1));
    if (changed.length === 2) swapped.add(changed[0]);
  }
  // Every window, the last (positions 2, 3) included, is drawn and swapped at some point.
  assertEquals([...swapped].sort(), [0, 1, 2]);
  assertEquals(items, Int32Array.of(1, 2, 3, 4));
});

Deno.test("CL4SRec augmentations: a list of two draws its own entries by rng.int(2), in list order", () => {
  // A draw fixed at rng.int(3) (the default's) folded onto a shorter list picked one entry twice
  // as often as the other; the list's order, not the default's, names what index i draws.
  const config: Cl4SRecConfig = { ...DEFAULT_CL4SREC_CONFIG, augmentations: ["reorder", "crop"] };
  const drawn = createRng(17);
  const expected = createRng(17);
  for (let k = 0; k < 60; k++) {
    const view = augmentView(HISTORY, config, drawn);
    const by = expected.int(2) === 0
      ? reorderView(HISTORY, config.reorderRatio, expected)
      : cropView(HISTORY, config.cropRatio, expected);
    assertEquals(view, by);
  }
});

Deno.test("CL4SRec mask hides random positions: the first floor(ratio * n) of a shuffle", () => {
  // Always the oldest positions (a shuffle drawn but not used) kept the count and hid a fixed
  // prefix; the positions are the first six of the rng's shuffle of 0..19, and they vary.
  const drawn = createRng(23);
  const expected = createRng(23);
  const seen = new Set<string>();
  for (let k = 0; k < 10; k++) {
    const view = maskView(HISTORY, 0.3, drawn);
    const positions = expected.shuffle(Array.from(HISTORY.keys())).slice(0, 6);
    const want = new Uint8Array(HISTORY.length);
    for (const p of positions) want[p] = 1;
    assertEquals(view.masked, want);
    seen.add(view.masked.join(""));
  }
  assert(seen.size > 1, "the masked positions never changed");
});

Deno.test("CL4SRec reorder: the window at rng.int(n - width + 1) is the rng's shuffle of it", () => {
  // A window reversed (no shuffle) kept the items and the window's place; the order inside must be
  // the shuffle's, the items around it in place.
  const drawn = createRng(29);
  const expected = createRng(29);
  for (let k = 0; k < 10; k++) {
    const view = reorderView(HISTORY, 0.6, drawn);
    const start = expected.int(HISTORY.length - 12 + 1);
    const want = HISTORY.slice();
    want.set(expected.shuffle(Array.from(HISTORY.subarray(start, start + 12))), start);
    assertEquals(view.items, want);
  }
});

Deno.test("CL4SRec sizes are floor(ratio * n) where ratio * n is x.5 or more (not rounded)", () => {
  // CL4SRec (Xie et al. 2022) and RecBole take floor: crop 0.6 * 3 = 1.8 keeps 1 item; mask
  // 0.3 * 6 = 1.8 hides 1 position; reorder 0.6 * 6 = 3.6 shuffles a window of 3 (rounding gave
  // 2, 2 and 4). The tests above use exact products or fractions below .5, where round = floor.
  const rng = createRng(31);
  const six = Int32Array.of(1, 2, 3, 4, 5, 6);
  for (let k = 0; k < 10; k++) {
    assertEquals(cropView(Int32Array.of(7, 8, 9), 0.6, rng).items.length, 1);
    assertEquals(maskView(six, 0.3, rng).masked.reduce((s, m) => s + m, 0), 1);
  }
  const drawn = createRng(37);
  const expected = createRng(37);
  for (let k = 0; k < 10; k++) {
    const start = expected.int(6 - 3 + 1);
    const want = six.slice();
    want.set(expected.shuffle(Array.from(six.subarray(start, start + 3))), start);
    assertEquals(reorderView(six, 0.6, drawn).items, want);
  }
});

Deno.test("CL4SRec augmentations on short histories draw exactly what they always drew from the rng", () => {
  // The training windows of users with 2 or 3 training items are histories of 1 or 2 items: what
  // each augmentation takes from the rng there shifts every later draw of the run (all views,
  // every batch), so a skipped or extra draw changes the training numbers of record.
  // After the call, `drawn` must stand where `expected` stands after the listed draws.
  const cases: [string, (rng: Rng) => void, (rng: Rng) => void][] = [
    // keep = max(1, floor(0.6)) = 1 = n: the start is still drawn, rng.int(1).
    ["crop of 1 item", (r) => cropView(Int32Array.of(4), 0.6, r), (r) => r.int(1)],
    // width floor(0.6 * 2) = 1 and floor(0.6 * 3) = 1: nothing is shuffled, nothing drawn.
    ["reorder of 2", (r) => reorderView(Int32Array.of(4, 5), 0.6, r), () => {}],
    ["reorder of 3", (r) => reorderView(Int32Array.of(4, 5, 6), 0.6, r), () => {}],
    // Mask shuffles every position even when it hides none (ratio 0): n - 1 = 3 draws.
    [
      "mask at ratio 0",
      (r) => maskView(Int32Array.of(4, 5, 6, 7), 0, r),
      (r) => r.shuffle([0, 1, 2, 3]),
    ],
    // One rng.int(1) picks the only augmentation, then the crop's own draw.
    [
      "a list of one augmentation",
      (r) => augmentView(Int32Array.of(4, 5), only("crop"), r),
      (r) => {
        r.int(1);
        r.int(2 - 1 + 1);
      },
    ],
  ];
  for (const [what, call, draws] of cases) {
    const drawn = createRng(41);
    const expected = createRng(41);
    call(drawn);
    draws(expected);
    assertEquals(drawn.next(), expected.next(), what);
  }
});
