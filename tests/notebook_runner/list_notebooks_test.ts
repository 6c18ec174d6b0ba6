import { assertEquals } from "@std/assert";
import { listNotebooks } from "../../lib/notebook_runner/mod.ts";

Deno.test("listNotebooks: the folder's .ipynb files, by name; not other files, not folders", async () => {
  const dir = Deno.makeTempDirSync();
  try {
    for (const name of ["b.ipynb", "a.ipynb", "notes.txt"]) {
      Deno.writeTextFileSync(`${dir}/${name}`, "{}");
    }
    Deno.mkdirSync(`${dir}/folder.ipynb`);
    assertEquals(await listNotebooks(dir), [`${dir}/a.ipynb`, `${dir}/b.ipynb`]);
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});
