/**
 * `listNotebooks` (lib/notebook_runner/list_notebooks.ts) edges that list_notebooks_test.ts leaves
 * open (found by mutation round KH, session 46): the extension is matched as Jupyter matches it
 * (case-sensitive: "X.IPYNB" is no notebook to Jupyter, so it is none to the runner either), and
 * name order is the names' code-point order (a "10_" page before a "9_" one, as `LC_ALL=C ls`).
 */
import { assertEquals } from "@std/assert";
import { listNotebooks } from "../../lib/notebook_runner/mod.ts";

Deno.test("listNotebooks: .ipynb only in lower case; names in code-point order", async () => {
  const dir = Deno.makeTempDirSync();
  try {
    for (
      const name of [
        "9_page.ipynb",
        "10_page.ipynb",
        "B_page.ipynb",
        "a_page.ipynb",
        "UPPER.IPYNB",
        "mixed.Ipynb",
      ]
    ) {
      Deno.writeTextFileSync(`${dir}/${name}`, "{}");
    }
    assertEquals(
      await listNotebooks(dir),
      ["10_page.ipynb", "9_page.ipynb", "B_page.ipynb", "a_page.ipynb"].map((name) =>
        `${dir}/${name}`
      ),
    );
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});
