/**
 * `deno task kubernetes` leaves nothing half-written on a full disk (here a file-size limit of 0,
 * tests/_full_disk.ts): the earlier run's folder stays whole and no staging folder is left.
 */
import { assert, assertEquals } from "@std/assert";
import { removalOfMade } from "../_made_folders.ts";
import { runWithFileSizeLimit } from "../_full_disk.ts";

const root = new URL("../../", import.meta.url).pathname.replace(/\/$/, "");
const words = (JSON.parse(Deno.readTextFileSync(`${root}/deno.json`)) as {
  tasks: Record<string, string>;
}).tasks.kubernetes.split(/\s+/).slice(1);

/** Every file under `folder` (relative paths) with its text. */
function contents(folder: string, prefix = ""): [string, string][] {
  return [...Deno.readDirSync(folder)].flatMap((entry): [string, string][] =>
    entry.isDirectory
      ? contents(`${folder}/${entry.name}`, `${prefix}${entry.name}/`)
      : [[`${prefix}${entry.name}`, Deno.readTextFileSync(`${folder}/${entry.name}`)]]
  ).sort(([a], [b]) => a.localeCompare(b));
}

Deno.test("deno task kubernetes: a full disk keeps the earlier run's folder whole, leaves no staging", async () => {
  const top = `build/k8s-half-written-${crypto.randomUUID().slice(0, 8)}`;
  const removeMade = removalOfMade(`${root}/${top}`);
  try {
    const out = `${top}/out`;
    const first = new Deno.Command(Deno.execPath(), {
      args: [...words, "--image", "i:1", "--quick", "--out", out],
      cwd: root,
      stdout: "piped",
      stderr: "piped",
    }).outputSync();
    assertEquals(first.code, 0, new TextDecoder().decode(first.stderr));
    const before = contents(`${root}/${out}`);
    const run = await runWithFileSizeLimit(
      0,
      [...words, "--image", "i:2", "--quick", "--out", out],
      root,
    );
    assert(run.code !== 0, `exit ${run.code}: the writes should have failed\n${run.stdout}`);
    assertEquals(contents(`${root}/${out}`), before);
    assertEquals([...Deno.readDirSync(`${root}/${top}`)].map((entry) => entry.name), ["out"]);
  } finally {
    removeMade();
  }
});
