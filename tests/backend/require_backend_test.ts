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

/**
 * `text` run as the script `.cache/<name>_<pid>.js` of the project (so that `../mod.ts` is the
 * library's entry point) in a fresh process, from the project root; the JSON of its last line. The
 * script is removed after.
 */
async function lastLineOfScript(name: string, text: string): Promise<unknown> {
  const root = new URL("../../", import.meta.url).pathname;
  const script = `${root}.cache/${name}_${Deno.pid}.js`;
  Deno.mkdirSync(`${root}.cache`, { recursive: true });
  Deno.writeTextFileSync(script, text);
  try {
    const { code, stdout, stderr } = await new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", "--quiet", script],
      cwd: root,
    }).output();
    assertEquals(code, 0, new TextDecoder().decode(stderr));
    return JSON.parse(new TextDecoder().decode(stdout).trim().split("\n").at(-1)!);
  } finally {
    Deno.removeSync(script);
  }
}

Deno.test("before `await initBackend()`: model and training refuse with one clear line", async () => {
  const lines = await lastLineOfScript("require_backend", SCRIPT);
  const first = "no tfjs backend yet: `await initBackend()` first (mod.ts)";
  assertEquals(lines, [
    `model: ${first}`,
    `train: ${first}`,
    `cell: ${first}`,
    "pending: no tfjs backend yet: initBackend() has not finished; `await initBackend()` " +
    "first (mod.ts)",
    "after: ok",
  ]);
});

Deno.test("initBackend: a bad backend name is a SettingError naming its setting, and not kept as the choice", async () => {
  // config.backend "gpu" was reported as DEMURE_BACKEND="gpu", and the rejected choice was kept:
  // the corrected call of a notebook failed the same way until the kernel restarted.
  const lines = await lastLineOfScript(
    "bad_backend",
    `import { initBackend } from "../mod.ts";
const lines = [];
const attempt = async (label, run) => {
  try {
    lines.push(label + ": " + (await run()).backend);
  } catch (error) {
    lines.push(label + ": " + error.name + ": " + error.message);
  }
};
Deno.env.set("DEMURE_BACKEND", "gpu");
await attempt("env", () => initBackend({ verbose: false }));
Deno.env.delete("DEMURE_BACKEND");
await attempt("config", () => initBackend({ backend: "gpu", verbose: false }));
await attempt("corrected", () => initBackend({ backend: "cpu", verbose: false }));
console.log(JSON.stringify(lines));
`,
  );
  const allowed = 'allowed: one of "tensorflow", "webgpu", "wasm", "cpu"';
  assertEquals(lines, [
    `env: SettingError: DEMURE_BACKEND is "gpu"; ${allowed}`,
    `config: SettingError: BackendConfig.backend is "gpu"; ${allowed}`,
    "corrected: cpu",
  ]);
});
