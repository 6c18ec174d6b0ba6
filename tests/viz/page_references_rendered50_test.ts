/**
 * A rendered page is read on its own (mailed, opened from a download folder): a link to a heading
 * it lacks, an image that names a file beside it (`<img src="figures/a.png">`, what a notebook's
 * markdown image becomes) or a link to a sibling file (`../docs/notebooks.md`) is broken there.
 * Until 2026-12-07 `check-html` passed such a page: a file a page loads is neither an external
 * reference nor a network request, and Chromium showed the missing image without an error.
 */
import { assert, assertEquals } from "@std/assert";
import { unresolvedPageReferences } from "../../lib/viz/page_references.ts";
import { checkRenderedHtml } from "../../lib/viz/check_rendered_html.ts";
import { findChromium } from "../../lib/viz/chromium.ts";
import { contributionHeatmap, writeHtmlReport } from "../../lib/viz/mod.ts";
import { inTempDir } from "./_temp_dir.ts";

Deno.test("unresolvedPageReferences: nbconvert's heading anchors resolve, as written or percent-decoded", () => {
  // nbconvert writes the id percent-encoded and links to it so (notebook 02's first heading).
  const encoded = '<h1 id="02-%C2%B7-Baselines">02 &#183; Baselines' +
    '<a class="anchor-link" href="#02-%C2%B7-Baselines">¶</a></h1>';
  assertEquals(unresolvedPageReferences(encoded), []);
  // An id written as text is found from a percent-encoded link too, and entities are decoded.
  const decoded = '<h2 id="Mean-±-std">M</h2><a href="#Mean-%C2%B1-std">m</a>' +
    '<h2 id="a&amp;b">A</h2><a href="#a&amp;b">a</a><a name="old">o</a><a href="#old">o</a>';
  assertEquals(unresolvedPageReferences(decoded), []);
  assertEquals(unresolvedPageReferences('<a href="#">top</a><a href="#top">top</a>'), []);
});

Deno.test("unresolvedPageReferences: a link to a place the page lacks is named", () => {
  assertEquals(
    unresolvedPageReferences('<h2 id="Protocol">P</h2><a href="#Protocl">see</a>'),
    ["link to a missing place: #Protocl"],
  );
});

Deno.test("unresolvedPageReferences: an image or resource beside the page is named; data: and off-machine URLs are not", () => {
  const page = [
    '<img src="data:image/png;base64,iVBORw0KGgo=">',
    '<img src="figures/contribution_heatmap.png" alt="heatmap">',
    "<img src='file:///tmp/a.png'>",
    '<img srcset="small.png 1x, data:image/png;base64,AAAA 2x">',
    '<script src="plotly.min.js"></script>',
    '<img src="https://example.org/a.png">', // externalResourceUrls' concern, not this one's
  ].join("\n");
  assertEquals(unresolvedPageReferences(page), [
    'resource beside the page: <img src="figures/contribution_heatmap.png">',
    'resource beside the page: <img src="file:///tmp/a.png">',
    'resource beside the page: <img srcset="small.png">',
    'resource beside the page: <script src="plotly.min.js">',
  ]);
});

Deno.test("unresolvedPageReferences: a link to a file beside the page is named; links off the machine are not", () => {
  const page = '<a href="../docs/notebooks.md">docs</a><a href="02_baselines.html">02</a>' +
    '<a href="https://github.com/x">x</a><a href="mailto:a@example.org">m</a>';
  assertEquals(unresolvedPageReferences(page), [
    "link to a file beside the page: ../docs/notebooks.md",
    "link to a file beside the page: 02_baselines.html",
  ]);
});

Deno.test("unresolvedPageReferences: script bodies are code, not markup", () => {
  // plotly.js's bundle holds markup in strings; only the page's own tags count.
  const page = `<script>var t = '<img src="x.png"><a href="#nowhere">';</script>`;
  assertEquals(unresolvedPageReferences(page), []);
});

const chromium = findChromium();
if (chromium === null) console.warn("page reference browser test skipped: no /usr/bin/chromium");

Deno.test({
  name:
    "checkRenderedHtml: a page with a missing image and a dead anchor fails, though it loads nothing off the machine",
  ignore: chromium === null,
  fn: () =>
    inTempDir("page-references-", async (dir) => {
      const page = `${dir}/report.html`;
      const heatmap = contributionHeatmap({
        values: [0.1, -0.2, 0.3, 0.4],
        numPositions: 2,
        modalityNames: ["id", "text"],
      });
      await writeHtmlReport(page, [
        { kind: "text", markdown: "# Explanations" },
        { kind: "figure", figure: heatmap },
      ]);
      const clean = await checkRenderedHtml(page);
      assertEquals([clean.unresolvedReferences, clean.ok], [[], true]);

      const html = await Deno.readTextFile(page);
      await Deno.writeTextFile(
        page,
        html.replace(
          "</body>",
          '<img src="figures/contribution_heatmap.png"><a href="#Protocol">protocol</a></body>',
        ),
      );
      const broken = await checkRenderedHtml(page);
      // The figure still draws and nothing goes off the machine: only the new check sees it.
      assertEquals(
        [
          broken.renderedFigures,
          broken.externalReferences,
          broken.networkRequests,
          broken.scriptErrors,
        ],
        [1, [], [], []],
      );
      assertEquals(broken.unresolvedReferences, [
        "link to a missing place: #Protocol",
        'resource beside the page: <img src="figures/contribution_heatmap.png">',
      ]);
      assert(!broken.ok, "a page with a missing image must fail");
    }),
});
