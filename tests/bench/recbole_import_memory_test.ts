/**
 * bench/recbole_import_memory.ts without its measurement's size (mutation round ID): the files its
 * child writes (`--write-to`: both tables whole, the sizes asked, the values in their ranges) and
 * a measuring run of a tiny dataset, which passes its sizes to the child and deletes its folder.
 */
import { assert, assertEquals, assertStringIncludes } from "@std/assert";
import { runScript } from "../cli/_run_script.ts";

const SCRIPT = "bench/recbole_import_memory.ts";
const GENRES = ["action", "comedy", "drama", "horror", "kids", "noir", "romance", "sci-fi"];

/** The rows of a written table (its header first), without the final newline. */
const rowsOf = (path: string) => Deno.readTextFileSync(path).replace(/\n$/, "").split("\n");

Deno.test("recbole_import_memory --write-to: the sizes asked, each value in its range", async () => {
  const dir = Deno.makeTempDirSync({ prefix: "recbole_import_memory_test_" });
  try {
    const base = `${dir}/b`;
    const args = [`--write-to=${base}`, "--lines=40", "--users=2", "--items=300"];
    const { code, stdout, stderr } = await runScript(SCRIPT, args);
    assertEquals([code, stdout, stderr], [0, "", ""]);
    const inter = rowsOf(`${base}.inter`);
    assertEquals(inter[0], "user_id:token\titem_id:token\ttimestamp:float");
    assertEquals(inter.length, 1 + 40);
    for (const row of inter.slice(1)) {
      const [user, item, timestamp] = row.split("\t").map(Number);
      assert(Number.isInteger(user) && user >= 0 && user < 2, row);
      assert(Number.isInteger(item) && item >= 0 && item < 300, row);
      assert(timestamp >= 1_000_000_000 && timestamp < 1_300_000_000, row);
    }
    const items = rowsOf(`${base}.item`);
    assertEquals(items[0], "item_id:token\tgenre:token_seq\tprice:float");
    // One row per item, in order.
    assertEquals(
      items.slice(1).map((row) => row.split("\t")[0]),
      [...Array(300).keys()].map(String),
    );
    const genreCounts = new Set<number>();
    for (const row of items.slice(1)) {
      const [, genres, price] = row.split("\t");
      const list = genres.split(" ");
      genreCounts.add(list.length);
      assert(list.length >= 1 && list.length <= 3 && list.every((g) => GENRES.includes(g)), row);
      assert(/^\d+\.\d\d$/.test(price) && Number(price) >= 1 && Number(price) < 51, row);
    }
    // 1 to 3 genres an item, each count drawn among 300 items.
    assertEquals([...genreCounts].sort(), [1, 2, 3]);
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});

Deno.test("recbole_import_memory: a measuring run reads the sizes asked and deletes its folder", async () => {
  // Its temporary folder goes under TMPDIR: an empty one here, which must be empty again after.
  const tmp = Deno.makeTempDirSync({ prefix: "recbole_import_memory_tmp_" });
  try {
    const args = ["--lines=200", "--users=4", "--items=6"];
    const { code, stdout, stderr } = await runScript(SCRIPT, args, ["-A"], { TMPDIR: tmp });
    assertEquals([code, stderr], [0, ""]);
    // The child wrote these sizes (not the defaults' 50,000 users and 20,000 items).
    assertStringIncludes(stdout, " s, 4 users, 6 items; peak RSS ");
    assertStringIncludes(stdout, "5-core and leave-one-out split: ");
    assertEquals([...Deno.readDirSync(tmp)], []);
  } finally {
    Deno.removeSync(tmp, { recursive: true });
  }
});
