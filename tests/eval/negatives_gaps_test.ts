/** Mutation round MG: what the negatives file's refusals say beyond the first problem. */
import { assertEquals, assertThrows } from "@std/assert";
import {
  loadOrCreateSampledNegatives,
  sampleEvaluationNegatives,
} from "../../lib/eval/sampled_negatives.ts";
import { cycleDataset, leaveOneOut } from "../models/_fixtures.ts";

// 3 users over 8 items, 5 interactions each: 3 unseen items per user.
const split = leaveOneOut(cycleDataset(3, 8, 5));
const config = { count: 2, seed: 0 };
const good = sampleEvaluationNegatives(split, config);

/** Writes `stored` to a temporary file and returns the refusal of loading it. */
function refusal(stored: Record<string, unknown>): { path: string; error: Error } {
  const folder = Deno.makeTempDirSync();
  try {
    const path = `${folder}/negatives.json`;
    Deno.writeTextFileSync(path, JSON.stringify(stored));
    const error = assertThrows(() => loadOrCreateSampledNegatives(path, split, config));
    return { path, error };
  } finally {
    Deno.removeSync(folder, { recursive: true });
  }
}

Deno.test("negatives file: every mismatch of the file is named, in order, not only the first (MG11)", () => {
  const { path, error } = refusal({ ...good, count: 3, seed: 7, negatives: [] });
  assertEquals(
    error.message,
    `${path}: does not match this split: count 3 != 2; seed 7 != 0; negatives for 0 users, expected 3`,
  );
});

Deno.test("negatives file: a row that is a string of count characters is refused as not a list (MG13)", () => {
  // "ab" has the length of a row of 2: read by position it gave "negatives[0][0] = \"a\" is not
  // an item id", naming a position inside a row that is not there.
  const { path, error } = refusal({ ...good, negatives: ["ab", ...good.negatives.slice(1)] });
  assertEquals(
    error.message,
    `${path}: user ${split.dataset.userIds[0]} (index 0): negatives[0] is "ab", not a list of ` +
      "item ids; the sampler draws count distinct items the user never interacted with " +
      "(delete the file to redraw)",
  );
});

Deno.test("negatives file: text that is not JSON is refused with the parser's reason (MG56)", () => {
  const text = '{"format": "demure-sampled-negatives/1", ';
  let reason = "";
  try {
    JSON.parse(text);
  } catch (error) {
    reason = (error as Error).message;
  }
  const folder = Deno.makeTempDirSync();
  try {
    const path = `${folder}/negatives.json`;
    Deno.writeTextFileSync(path, text);
    const error = assertThrows(() => loadOrCreateSampledNegatives(path, split, config));
    assertEquals(error.message, `${path}: not valid JSON (${reason})`);
  } finally {
    Deno.removeSync(folder, { recursive: true });
  }
});
