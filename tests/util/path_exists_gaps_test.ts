/**
 * pathExists and readTextIfExists beyond tests/util/path_exists_test.ts: a link is followed (a
 * broken one is "not found", a link to a file is that file), and a path through a file is an error
 * for readTextIfExists too, not "no file".
 */
import { assertEquals, assertThrows } from "@std/assert";
import { pathExists, readTextIfExists } from "../../lib/util/path_exists.ts";

Deno.test("pathExists and readTextIfExists follow a link: a broken one is not found", () => {
  const folder = Deno.makeTempDirSync();
  try {
    Deno.writeTextFileSync(`${folder}/plan.json`, "{}");
    Deno.symlinkSync(`${folder}/plan.json`, `${folder}/linked.json`);
    Deno.symlinkSync(`${folder}/gone.json`, `${folder}/broken.json`);
    assertEquals([pathExists(`${folder}/linked.json`), readTextIfExists(`${folder}/linked.json`)], [
      true,
      "{}",
    ]);
    // What the link names is not there: nothing to read, as for readTextIfExists.
    assertEquals(
      [pathExists(`${folder}/broken.json`), readTextIfExists(`${folder}/broken.json`)],
      [false, undefined],
    );
  } finally {
    Deno.removeSync(folder, { recursive: true });
  }
});

Deno.test("readTextIfExists: a path through a file is an error (ENOTDIR), not 'no file'", () => {
  const folder = Deno.makeTempDirSync();
  try {
    Deno.writeTextFileSync(`${folder}/results`, "a file where a folder belongs");
    // Answering none here would start afresh although the path itself is wrong.
    assertThrows(() => readTextIfExists(`${folder}/results/plan.json`));
  } finally {
    Deno.removeSync(folder, { recursive: true });
  }
});

Deno.test("pathExists and readTextIfExists: a path that may not be read (EACCES) is thrown, not 'no'", async () => {
  // Answering no would start afresh over a folder that may hold finished work. Root reads every
  // folder, so under root the check runs without the capabilities that let it (setpriv); as
  // root still, so that it can read the checkout, which user nobody may not (a clone in a private
  // temporary folder, as CI's). Either way in a process of its own, with a private Deno cache.
  const scratch = Deno.makeTempDirSync();
  try {
    Deno.chmodSync(scratch, 0o755);
    Deno.mkdirSync(`${scratch}/cache`, { mode: 0o777 });
    Deno.chmodSync(`${scratch}/cache`, 0o777);
    Deno.mkdirSync(`${scratch}/locked`);
    Deno.writeTextFileSync(`${scratch}/locked/plan.json`, "{}");
    Deno.chmodSync(`${scratch}/locked`, 0o000);
    const module = new URL("../../lib/util/path_exists.ts", import.meta.url).href;
    const path = `${scratch}/locked/plan.json`;
    const code = `import { pathExists, readTextIfExists } from "${module}";
const answer = (read) => { try { return String(read()); } catch (e) { return e.constructor.name; } };
console.log(JSON.stringify([answer(() => pathExists("${path}")), answer(() => readTextIfExists("${path}"))]));`;
    const deno = [Deno.execPath(), "eval", code];
    const withoutOverride = ["--bounding-set=-dac_override,-dac_read_search"];
    const [command, ...args] = Deno.uid() === 0 ? ["setpriv", ...withoutOverride, ...deno] : deno;
    const output = await new Deno.Command(command, {
      args,
      env: { DENO_DIR: `${scratch}/cache`, HOME: scratch, NO_COLOR: "1" },
      clearEnv: true,
      stdin: "null",
    }).output();
    const stderr = new TextDecoder().decode(output.stderr);
    assertEquals(output.code, 0, stderr);
    const answers = JSON.parse(new TextDecoder().decode(output.stdout));
    assertEquals(answers, ["PermissionDenied", "PermissionDenied"]);
  } finally {
    Deno.chmodSync(`${scratch}/locked`, 0o700);
    Deno.removeSync(scratch, { recursive: true });
  }
});
