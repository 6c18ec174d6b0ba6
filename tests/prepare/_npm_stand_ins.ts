/**
 * Stand-ins of the two npm packages prepare-data reads beside dslabs (wink's embeddings and
 * vega-datasets' movies), as their folders hold them: the one home of the folders that the
 * malformed-input test and the full-disk test each wrote out. The tests write the embeddings.
 */

/** Writes `wink/package.json`, `vega/package.json` and an empty `vega/data/movies.json` in `folder`. */
export function writeNpmStandIns(folder: string): void {
  Deno.mkdirSync(`${folder}/wink`, { recursive: true });
  Deno.mkdirSync(`${folder}/vega/data`, { recursive: true });
  Deno.writeTextFileSync(`${folder}/wink/package.json`, '{"version": "1.1.0"}');
  Deno.writeTextFileSync(`${folder}/vega/package.json`, '{"version": "3.2.1"}');
  Deno.writeTextFileSync(`${folder}/vega/data/movies.json`, "[]");
}
