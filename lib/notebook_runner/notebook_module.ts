/**
 * A notebook's code cells as one TypeScript module, so `deno check` type-checks what the Deno kernel
 * runs (a call that no longer matches the library fails the check instead of a reader's run).
 *
 * The kernel runs the cells of a notebook in one scope, top to bottom, with top-level `await`: the
 * module is their concatenation in order (an ES module allows top-level `await`). Relative import
 * specifiers are resolved against the notebook's folder (the module lives elsewhere). A cell's last
 * expression, which the kernel displays, is an expression statement here. Each line of the module
 * maps back to its cell and line, so errors are reported where a reader edits them.
 */

/** One notebook's code as a module, and where each of its lines came from. */
export interface NotebookModule {
  /** The module's source. */
  code: string;
  /** For line `n` of the module (1-based): `origins[n - 1]`, the code cell and its line, or null for
   * lines the extraction added. */
  origins: Array<{ cell: number; line: number } | null>;
}

interface NotebookJson {
  cells: Array<{ cell_type: string; source: string[] | string }>;
}

const RELATIVE_SPECIFIER = /(\bfrom\s*|\bimport\s*\(\s*|\bimport\s+)(["'])(\.\.?\/[^"']*)\2/g;

/**
 * The module of a notebook's code cells. `notebookUrl` resolves relative imports; cell numbers
 * are indexes into the notebook's `cells` (markdown cells count, as in the runner's messages).
 *
 * @example
 * ```ts
 * const url = new URL("notebooks/00_smoke.ipynb", `file://${Deno.cwd()}/`);
 * const { code } = notebookModule(Deno.readTextFileSync(url), url);
 * ```
 */
export function notebookModule(notebookJson: string, notebookUrl: URL): NotebookModule {
  const notebook = JSON.parse(notebookJson) as NotebookJson;
  const lines: string[] = [];
  const origins: NotebookModule["origins"] = [];
  const add = (line: string, origin: { cell: number; line: number } | null) => {
    lines.push(line);
    origins.push(origin);
  };
  add(`// Code cells of ${notebookUrl.pathname} (generated for a type check; not run).`, null);
  notebook.cells.forEach((cell, index) => {
    if (cell.cell_type !== "code") return;
    const source = Array.isArray(cell.source) ? cell.source.join("") : cell.source;
    add(`// cell ${index}`, null);
    source.split("\n").forEach((text, line) => {
      const resolved = text.replace(
        RELATIVE_SPECIFIER,
        (_match, keyword: string, quote: string, specifier: string) =>
          `${keyword}${quote}${new URL(specifier, notebookUrl).href}${quote}`,
      );
      add(resolved, { cell: index, line: line + 1 });
    });
    // A cell ends its statement even when its last line has no semicolon.
    add(";", null);
  });
  // A module, even for a notebook without imports or exports (top-level await needs one).
  add("export {};", null);
  return { code: lines.join("\n") + "\n", origins };
}

/**
 * Rewrites `deno check`'s locations in `moduleUrl` (`<url>:LINE:COL`) to the notebook's cell and
 * line: `<notebook> cell C line L:COL`.
 */
export function locateInNotebook(
  output: string,
  moduleUrl: string,
  module: NotebookModule,
  notebookName: string,
): string {
  const escaped = moduleUrl.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  return output.replace(new RegExp(`${escaped}:(\\d+):(\\d+)`, "g"), (match, line, column) => {
    const origin = module.origins[Number(line) - 1];
    return origin ? `${notebookName} cell ${origin.cell} line ${origin.line}:${column}` : match;
  });
}
