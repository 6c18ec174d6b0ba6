import { assertEquals, assertRejects, assertStringIncludes } from "@std/assert";
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

Deno.test("listNotebooks: a link to a notebook is one; a link to a folder is not; a broken link is named", async () => {
  const dir = Deno.makeTempDirSync();
  try {
    Deno.mkdirSync(`${dir}/notebooks`);
    Deno.mkdirSync(`${dir}/elsewhere/folder.ipynb`, { recursive: true });
    Deno.writeTextFileSync(`${dir}/elsewhere/page.ipynb`, "{}");
    Deno.writeTextFileSync(`${dir}/notebooks/00_page.ipynb`, "{}");
    // Jupyter lists a linked notebook: the runner and the type check skipped it without a word.
    Deno.symlinkSync("../elsewhere/page.ipynb", `${dir}/notebooks/01_linked.ipynb`);
    Deno.symlinkSync("../elsewhere/folder.ipynb", `${dir}/notebooks/02_folder.ipynb`);
    assertEquals(await listNotebooks(`${dir}/notebooks`), [
      `${dir}/notebooks/00_page.ipynb`,
      `${dir}/notebooks/01_linked.ipynb`,
    ]);
    Deno.symlinkSync("../elsewhere/gone.ipynb", `${dir}/notebooks/03_broken.ipynb`);
    const error = await assertRejects(
      () => listNotebooks(`${dir}/notebooks`),
      Deno.errors.NotFound,
    );
    assertStringIncludes(error.message, `${dir}/notebooks/03_broken.ipynb`);
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});
