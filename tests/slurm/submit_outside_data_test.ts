/**
 * `deno task slurm -- --dataset /data/mine/mine ...`: a dataset outside the workspace is named in
 * every batch script's permission flags, as `reproduce` names it for its own workers. Until
 * 2026-12-07 the scripts named only the results folder, so each task (and the report job) started
 * a second Deno with the dataset's folder added (reproduce's restart) and said so in its log.
 */
import { assert, assertEquals } from "@std/assert";
import { submit } from "./_fake_slurm.ts";

const root = new URL("../../", import.meta.url).pathname;

/** The `--allow-read` paths of every `deno run` line in the printed batch scripts. */
function readPermissions(scripts: string): string[][] {
  return scripts.split("\n")
    .filter((line) => line.includes(" run --no-prompt "))
    .map((line) => /--allow-read=(\S+)/.exec(line)![1].split(","));
}

Deno.test("submit: a dataset outside the workspace is in each batch script's reads; one inside adds nothing", () => {
  const folder = Deno.makeTempDirSync({ prefix: "submit_outside_data_" });
  assert(!folder.startsWith(root), `${folder} is outside ${root}`);
  try {
    for (const name of ["tiny.inter", "tiny.item", "tiny_image.txt"]) {
      Deno.copyFileSync(`${root}tests/fixtures/byo/${name}`, `${folder}/${name}`);
    }
    const requests = ["--minutes", "5", "--memory-mb", "500"];
    const outside = submit([
      ...["--dry-run", "--results", `${folder}/out`, ...requests, "--"],
      ...["--dataset", `${folder}/tiny`, "--format", "recbole"],
      ...["--features", `image=${folder}/tiny_image.txt`],
    ], folder);
    assertEquals(outside.code, 0, outside.stderr);
    const reads = readPermissions(outside.stdout);
    // The cells job and the report job.
    assertEquals(reads.length, 2, outside.stdout);
    for (const paths of reads) {
      // The results folder (read and written), then the dataset's folder and the feature file.
      assertEquals(paths.slice(-3), [`${folder}/out`, folder, `${folder}/tiny_image.txt`]);
    }
    // A bad file there: the listing's error is the one line said, naming the file and line,
    // not after reproduce's note of its restart (which took the "slurm: " prefix).
    Deno.writeTextFileSync(`${folder}/tiny.inter`, "user_id:token\titem_id:token\n");
    const bad = submit([
      ...["--dry-run", "--results", `${folder}/bad`, ...requests, "--"],
      ...["--dataset", `${folder}/tiny`, "--format", "recbole"],
    ], folder);
    assertEquals(
      [bad.code, bad.stdout, bad.stderr],
      [1, "", `slurm: reproduce: ${folder}/tiny.inter:2: field "user_id:token": no interactions\n`],
    );
    // The fixture in the workspace: the task's own reads (".") cover it.
    const inside = submit([
      ...["--dry-run", "--results", `${folder}/in`, ...requests, "--"],
      ...["--dataset", "tests/fixtures/byo/tiny", "--format", "recbole"],
    ], folder);
    assertEquals(inside.code, 0, inside.stderr);
    for (const paths of readPermissions(inside.stdout)) {
      assertEquals(paths.at(-1), `${folder}/in`);
      assertEquals(paths.includes("tests/fixtures/byo"), false);
    }
  } finally {
    Deno.removeSync(folder, { recursive: true });
  }
});
