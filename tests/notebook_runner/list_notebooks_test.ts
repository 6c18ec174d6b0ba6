import { assertEquals } from "@std/assert";
import { listNotebooks } from "../../lib/notebook_runner/mod.ts";

Deno.test("listNotebooks: the folder's .ipynb files, by name; not other files (a .ipynb.bak), not folders", async () => {
  const dir = Deno.makeTempDirSync();
  try {
    // Made in name order and in reverse: a directory lists its entries in an order of its own.
    const names = Array.from({ length: 12 }, (_, i) => `${String(i).padStart(2, "0")}_page.ipynb`);
    // An editor's backup (".ipynb.bak") holds ".ipynb" but is no notebook.
    const others = ["notes.txt", "00_page.ipynb.bak"];
    for (const name of [...names.slice(0, 6), ...names.slice(6).reverse(), ...others]) {
      Deno.writeTextFileSync(`${dir}/${name}`, "{}");
    }
    Deno.mkdirSync(`${dir}/folder.ipynb`);
    assertEquals(await listNotebooks(dir), names.map((name) => `${dir}/${name}`));
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});
