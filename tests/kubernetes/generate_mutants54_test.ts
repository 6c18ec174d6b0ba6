/**
 * scripts/kubernetes/generate.ts, mutation pass 54 (mu54a): a dataset in a folder whose name only
 * starts like the volume's mount (`/v/vol2` beside the mount `/v/vol`) is outside the volume, and
 * refused; one under the mount is read in the pods, and written.
 */
import { assert, assertEquals, assertStringIncludes } from "@std/assert";
import { removalOfMade } from "../_made_folders.ts";
import { generate, root } from "./_generate.ts";

Deno.test("deno task kubernetes: a dataset beside the mount, named like it, is refused; one under it is not", () => {
  // Mutant mu54a K17 (the dataset's path compared with the mount without its "/") took
  // <parent>/vol2 for a folder on the volume <parent>/vol, and every pod would fail to read it.
  const parent = Deno.makeTempDirSync({ prefix: "generate_mutants54_" });
  const out = `build/kubernetes-mutants54-${crypto.randomUUID().slice(0, 8)}`;
  const removeMade = removalOfMade(`${root}/${out}`);
  try {
    const mount = `${parent}/vol`;
    for (const folder of [`${parent}/vol2`, `${mount}/data`]) {
      Deno.mkdirSync(folder, { recursive: true });
      for (const name of ["tiny.inter", "tiny.item"]) {
        Deno.copyFileSync(`${root}/tests/fixtures/byo/${name}`, `${folder}/${name}`);
      }
    }
    const settings = ["--image", "reg/demure:1", "--out", out, "--mount", mount];
    const plan = ["--minutes", "5", "--memory-mb", "500", "--quick", "--", "--format", "recbole"];
    const beside = generate([...settings, ...plan, "--dataset", `${parent}/vol2/tiny`]);
    assertEquals(beside.code, 2, beside.stderr);
    assertStringIncludes(
      beside.stderr,
      `kubernetes: --dataset or --features: ${parent}/vol2 is outside the workspace and not ` +
        `under the volume's mount ${mount}, so no pod can read it`,
    );
    const under = generate([...settings, ...plan, "--dataset", `${mount}/data/tiny`]);
    assertEquals(under.code, 0, under.stderr);
    assert(Deno.statSync(`${root}/${out}/stage0.json`).isFile);
  } finally {
    Deno.removeSync(parent, { recursive: true });
    removeMade();
  }
});
