/**
 * `deno task notebooks` with its arguments, whose listing of notebooks/ (a run naming no notebook)
 * also names `notebooks/zz_missing.ipynb`, which is not there: a broken notebook of the folder,
 * without writing into it. Run by tests/notebook_runner/run_notebooks_cli_test.ts.
 */
import { main } from "../../scripts/run_notebooks.ts";

const notebooks = new URL("../../notebooks", import.meta.url).pathname;
const { readDir } = Deno;
Deno.readDir = async function* (path: string | URL) {
  yield* readDir(path);
  if (String(path) === notebooks) {
    yield { name: "zz_missing.ipynb", isFile: true, isDirectory: false, isSymlink: false };
  }
};
Deno.exit(await main());
