/**
 * `./run.sh reproduce` on data outside the project: the folders the command line names (the
 * dataset's, each `--features` file, `--results`) are what the run may read (and, for `--results`,
 * write) beyond its task's permissions, with no flags to assemble. Until 2026-12-06 such a run
 * stopped with "this task may not read there" and a two-step `deno run $(task_permissions.ts ...)`
 * recipe. `./run.sh reproduce ARGS` runs `deno task reproduce ARGS` in the project folder (run.sh),
 * which is what these tests run, on `--list-cells`: it reads and checks the dataset, then lists
 * the plan's cells without training any.
 */
import { assert, assertEquals, assertStringIncludes } from "@std/assert";

const root = new URL("../../", import.meta.url).pathname;
const decode = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

/** `deno task reproduce ...args` in the project folder, what `./run.sh reproduce` execs. */
async function reproduceTask(...args: string[]) {
  const output = await new Deno.Command(Deno.execPath(), {
    args: ["task", "reproduce", ...args],
    cwd: root,
    stdin: "null",
  }).output();
  return { code: output.code, stdout: decode(output.stdout), stderr: decode(output.stderr) };
}

/** A temporary folder outside the project holding a copy of tests/fixtures/byo/. */
async function copiedFixtures(): Promise<string> {
  const folder = await Deno.makeTempDir({ prefix: "reproduce_outside_data_" });
  assert(!folder.startsWith(root), `${folder} is outside ${root}`);
  for (const entry of Deno.readDirSync(`${root}tests/fixtures/byo`)) {
    await Deno.copyFile(`${root}tests/fixtures/byo/${entry.name}`, `${folder}/${entry.name}`);
  }
  return folder;
}

Deno.test("./run.sh reproduce reads a dataset outside the project and uses a results folder there", async () => {
  const folder = await copiedFixtures();
  try {
    const { code, stdout, stderr } = await reproduceTask(
      ...["--quick", "--list-cells", "--dataset", `${folder}/tiny`, "--format", "recbole"],
      ...["--features", `image=${folder}/tiny_image.txt`, "--results", `${folder}/out`],
    );
    assertEquals(code, 0, stderr);
    assert(stdout.startsWith(`# quick plan, 16 cells, state under ${folder}/out\n`), stdout);
    // It says what it was given beyond the task's permissions: exactly the folders named.
    assertStringIncludes(
      stderr,
      `reproduce: reads ${folder} (--dataset), ${folder}/tiny_image.txt (--features); reads and ` +
        `writes ${folder}/out (--results): outside the project, so added to the reproduce ` +
        "task's permissions (docs/permissions.md)\n",
    );
  } finally {
    await Deno.remove(folder, { recursive: true });
  }
});

Deno.test("./run.sh reproduce outside the project: a bad file there names it, a missing one says so", async () => {
  const folder = await copiedFixtures();
  try {
    // The run reads the file itself: its error names the file and line, exit status 1.
    const header = Deno.readTextFileSync(`${folder}/tiny.inter`).split("\n")[0];
    Deno.writeTextFileSync(`${folder}/tiny.inter`, `${header}\n`);
    // Its own results folder: the default, results/tiny-recbole, is docs/data.md's example's.
    const results = ["--results", `${folder}/out`];
    const bad = await reproduceTask(
      ...["--quick", "--list-cells", "--dataset", `${folder}/tiny`, "--format", "recbole"],
      ...results,
    );
    assertEquals([bad.code, bad.stdout], [1, ""], bad.stderr);
    assertStringIncludes(
      bad.stderr,
      `reproduce: ${folder}/tiny.inter:2: field "user_id:token": no interactions\n`,
    );
    // A path that does not exist: the message a missing file inside the project gets.
    const missing = await reproduceTask(
      ...["--quick", "--list-cells", "--dataset", `${folder}/nope/tiny`, "--format", "recbole"],
      ...results,
    );
    assertEquals([missing.code, missing.stdout], [1, ""], missing.stderr);
    assertStringIncludes(
      missing.stderr,
      `reproduce: ${folder}/nope/tiny.inter:0: field "file": no such file: a RecBole dataset is ` +
        `named by its base, "${folder}/nope/tiny" for ${folder}/nope/tiny.inter (and ` +
        `${folder}/nope/tiny.item)\n`,
    );
    // RecBole files given as a sequence file: the hint that they have format "recbole" looks for
    // <path>.inter, which the restarted run could not read outside the project, so it said only
    // "No such file or directory" there.
    const asSequence = await reproduceTask(
      ...["--quick", "--list-cells", "--dataset", `${folder}/tiny`, "--format", "sequence"],
      ...results,
    );
    assertEquals([asSequence.code, asSequence.stdout], [1, ""], asSequence.stderr);
    assertStringIncludes(
      asSequence.stderr,
      `reproduce: ${folder}/tiny:0: field "file": no such file; ${folder}/tiny.inter is there: ` +
        'RecBole atomic files (.inter, optional .item) have format "recbole" and are named by ' +
        `their base, "${folder}/tiny"\n`,
    );
  } finally {
    await Deno.remove(folder, { recursive: true });
  }
});
