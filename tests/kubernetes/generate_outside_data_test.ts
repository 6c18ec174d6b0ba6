/**
 * `deno task kubernetes -- --dataset PATH`: a pod sees only the image's workspace and the volume,
 * so a dataset outside both is refused before anything is written. Until 2026-12-07 such
 * manifests were written without a word, and every pod would have failed on "no such file" once
 * applied.
 */
import { assert, assertEquals, assertStringIncludes } from "@std/assert";
import { removalOfMade } from "../_made_folders.ts";
import { generate, root } from "./_generate.ts";

Deno.test("deno task kubernetes: a dataset outside the workspace and the volume is refused, one in the workspace is not", () => {
  const folder = Deno.makeTempDirSync({ prefix: "generate_outside_data_" });
  assert(!folder.startsWith(`${root}/`), `${folder} is outside ${root}`);
  const out = `build/kubernetes-outside-${crypto.randomUUID().slice(0, 8)}`;
  const removeMade = removalOfMade(`${root}/${out}`);
  try {
    for (const name of ["tiny.inter", "tiny.item"]) {
      Deno.copyFileSync(`${root}/tests/fixtures/byo/${name}`, `${folder}/${name}`);
    }
    const settings = ["--image", "reg/demure:1", "--out", out, "--minutes", "5"];
    const plan = ["--memory-mb", "500", "--quick", "--", "--seeds", "0", "--format", "recbole"];
    const outside = generate([...settings, ...plan, "--dataset", `${folder}/tiny`]);
    assertEquals(outside.code, 2, outside.stderr);
    assertStringIncludes(
      outside.stderr,
      `kubernetes: --dataset or --features: ${folder} is outside the workspace and not under ` +
        "the volume's mount /results, so no pod can read it",
    );
    // Nothing written.
    assertEquals(outside.stdout, "");
    assertThrowsNotFound(`${root}/${out}`);
    // The same files in the workspace (built into the image): written.
    const inside = generate([...settings, ...plan, "--dataset", "tests/fixtures/byo/tiny"]);
    assertEquals(inside.code, 0, inside.stderr);
    assert(Deno.statSync(`${root}/${out}/stage0.json`).isFile);
  } finally {
    Deno.removeSync(folder, { recursive: true });
    removeMade();
  }
});

function assertThrowsNotFound(path: string): void {
  try {
    Deno.statSync(path);
  } catch (error) {
    assert(error instanceof Deno.errors.NotFound, String(error));
    return;
  }
  throw new Error(`${path} was written`);
}
