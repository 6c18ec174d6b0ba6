/**
 * loadPlotlyBundle's error path and cache, past what html_test.ts pins: a missing bundle names
 * the path, the system's reason and the set-up step; a failed read is not remembered; a cached
 * bundle is the escaped text every time. Found by mutation round NC.
 */
import { assertEquals, assertRejects, assertStringIncludes } from "@std/assert";
import { loadPlotlyBundle } from "../../lib/viz/plotly_bundle.ts";
import { inTempDir } from "./_temp_dir.ts";

Deno.test("loadPlotlyBundle: a missing bundle names its path, the system's reason and the set-up step", async () => {
  // Found by mutation round NC (NC11: the set-up step dropped; NC12: the reason dropped).
  await inTempDir("demure-bundle-nc-", async (dir) => {
    const missing = `${dir}/plotly.min.js`;
    const error = await assertRejects(() => loadPlotlyBundle(missing), Error);
    assertStringIncludes(error.message, `loadPlotlyBundle: cannot read ${missing} (`);
    assertStringIncludes(error.message, "No such file or directory");
    assertStringIncludes(
      error.message,
      "run the set-up step (./run.sh installs the npm packages of package.json)",
    );
  });
});

Deno.test("loadPlotlyBundle: a bundle missing at first is read once it is installed", async () => {
  // A notebook that ran before the set-up step must draw after it, in the same kernel: a failed
  // read is not cached. Found by mutation round NC (NC17: the failure cached as an empty bundle).
  await inTempDir("demure-bundle-nc-", async (dir) => {
    const path = `${dir}/late.js`;
    await assertRejects(() => loadPlotlyBundle(path), Error, "cannot read");
    await Deno.writeTextFile(path, "window.late = 1;");
    assertEquals(await loadPlotlyBundle(path), "window.late = 1;");
  });
});

Deno.test("loadPlotlyBundle: the cached bundle is the escaped text, on every call", async () => {
  // The second page of a kernel gets the bundle from the cache: an unescaped "</script>" there
  // would end that page's script element. Found by mutation round NC (NC13: the raw text cached).
  await inTempDir("demure-bundle-nc-", async (dir) => {
    const path = `${dir}/hostile.js`;
    await Deno.writeTextFile(path, 'var a = "</script><!--µ";');
    const safe = 'var a = "<\\/script><\\!--\\u00b5";';
    assertEquals(await loadPlotlyBundle(path), safe);
    assertEquals(await loadPlotlyBundle(path), safe);
  });
});
