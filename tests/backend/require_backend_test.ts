/**
 * Building a model or training before `await initBackend()` fails with one line that says what to
 * do, not with tfjs's "The highest priority backend 'wasm' has not yet been initialized"; nothing
 * initialises a backend behind the caller's back. Run in a fresh process: in this one another test
 * file may have chosen the backend already.
 */
import { assertEquals } from "@std/assert";

const SCRIPT = `
import {
  generateSynthetic,
  initBackend,
  leaveOneOutSplit,
  runCell,
  SequentialRecommender,
  SYSTEMS,
  trainModel,
} from "../mod.ts";
const synthetic = generateSynthetic({ numUsers: 8, numItems: 12, historyLength: 5 });
const split = leaveOneOutSplit(synthetic.dataset, { maxLength: 5 });
const lines = [];
const attempt = async (label, run) => {
  try {
    await run();
    lines.push(label + ": ok");
  } catch (error) {
    lines.push(label + ": " + error.message);
  }
};
await attempt("model", () => new SequentialRecommender(split.dataset, { dim: 8, maxLength: 5 }));
// The model is not touched before the check: a stand-in shows which line trainModel fails on.
await attempt("train", () => trainModel({}, split, { maxEpochs: 1 }));
// A cell of a system without a model (its scores are tensors too).
await attempt("cell", () => runCell({ split }, SYSTEMS.Pop, "Pop", { seed: 0 }));
const pending = initBackend({ verbose: false });
await attempt("pending", () => new SequentialRecommender(split.dataset, { dim: 8, maxLength: 5 }));
await pending;
await attempt("after", () => new SequentialRecommender(split.dataset, { dim: 8, maxLength: 5 }));
console.log(JSON.stringify(lines));
`;

Deno.test("before `await initBackend()`: model and training refuse with one clear line", async () => {
  const root = new URL("../../", import.meta.url).pathname;
  const script = `${root}.cache/require_backend_${Deno.pid}.js`;
  Deno.mkdirSync(`${root}.cache`, { recursive: true });
  Deno.writeTextFileSync(script, SCRIPT);
  try {
    const { code, stdout, stderr } = await new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", "--quiet", script],
      cwd: root,
    }).output();
    assertEquals(code, 0, new TextDecoder().decode(stderr));
    const lines = JSON.parse(new TextDecoder().decode(stdout).trim().split("\n").at(-1)!);
    const first = "no tfjs backend yet: `await initBackend()` first (mod.ts)";
    assertEquals(lines, [
      `model: ${first}`,
      `train: ${first}`,
      `cell: ${first}`,
      "pending: no tfjs backend yet: initBackend() has not finished; `await initBackend()` " +
      "first (mod.ts)",
      "after: ok",
    ]);
  } finally {
    Deno.removeSync(script);
  }
});
