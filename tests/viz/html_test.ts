import { assert, assertEquals, assertStringIncludes, assertThrows } from "@std/assert";
import {
  contributionHeatmap,
  figureDivHtml,
  groupedBars,
  lineWithBands,
  renderHtmlReport,
  writeHtmlReport,
} from "../../lib/viz/mod.ts";
import { figureMimeBundle } from "../../lib/notebook/mod.ts";
import type { Figure } from "../../lib/viz/mod.ts";
import {
  DEFAULT_BUNDLE_TRACE_TYPES,
  inlineJson,
  inlineScriptText,
  loadPlotlyBundle,
  tracesOutsideDefaultBundle,
} from "../../lib/viz/plotly_bundle.ts";
import {
  countFigures,
  externalResourceUrls,
  pageRequestsFromNetLog,
} from "../../lib/viz/check_rendered_html.ts";
import { markdownToHtml } from "../../lib/viz/_markdown.ts";
import { inTempDir } from "./_temp_dir.ts";

const hostile: Figure = {
  data: [{ type: "bar", x: ["</script><b>x</b>"], y: [1] }],
  layout: { title: { text: "</script>" } },
};

function occurrences(text: string, needle: string): number {
  return text.split(needle).length - 1;
}

Deno.test("inline escaping: script text and JSON cannot close the script element", () => {
  assertEquals(inlineScriptText('a="</script>";b="<!--"'), 'a="<\\/script>";b="<\\!--"');
  // Non-ASCII becomes \uXXXX (astral characters as two escaped surrogates); the code means the same.
  const source = 'const s = "µ°😀"; const r = /[µ]/; return [s, r.test("µ")];';
  const escaped = inlineScriptText(source);
  assertEquals(/[\u0080-\uffff]/.test(escaped), false);
  assertEquals(new Function(escaped)(), ["µ°😀", true]);
  assertEquals(inlineJson({ label: "a → b" }), '{"label":"a \\u2192 b"}');
  assertEquals(JSON.parse(inlineJson({ label: "a → b" })), { label: "a → b" });
  assertEquals(JSON.parse(inlineJson({ label: "</script>" })), { label: "</script>" });
  const html = figureDivHtml(hostile, { elementId: "f1" });
  assertEquals(occurrences(html.toLowerCase(), "</script"), 1);
});

Deno.test("mime bundle: plotly.js only when asked, figure JSON always", () => {
  const figure: Figure = { data: [], layout: {} };
  const without = figureMimeBundle(figure, { elementId: "p1", plotlyBundle: null });
  const withBundle = figureMimeBundle(figure, { elementId: "p2", plotlyBundle: "/*PLOTLY*/" });
  assertEquals(occurrences(without["text/html"], "/*PLOTLY*/"), 0);
  assert(withBundle["text/html"].startsWith("<script>/*PLOTLY*/</script>"));
  assertEquals(withBundle["application/vnd.plotly.v1+json"], figure);
  assertEquals(countFigures(withBundle["text/html"]).figures, 1);
});

Deno.test("report: plotly.js inlined exactly once for two figures; none without figures", async () => {
  const plotlyPath = await Deno.makeTempFile({ suffix: ".js" });
  try {
    await Deno.writeTextFile(plotlyPath, "/*FAKE PLOTLY*/");
    const figure: Figure = { data: [{ type: "bar", x: ["a"], y: [1] }], layout: {} };
    const html = await renderHtmlReport([
      { kind: "text", markdown: "# Title\nSome **bold** text." },
      { kind: "figure", figure, caption: "first" },
      { kind: "table", columns: ["model", "NDCG@10", "users"], rows: [["SASRec", 0.05123, 10]] },
      { kind: "figure", figure },
    ], { plotlyPath, title: "T" });
    assertEquals(occurrences(html, "/*FAKE PLOTLY*/"), 1);
    assertEquals(countFigures(html).figures, 2);
    assertStringIncludes(html, "<td>SASRec</td><td>0.0512</td><td>10</td>");
    assertEquals(externalResourceUrls(html), []);
    const noFigures = await renderHtmlReport([{ kind: "text", markdown: "x" }], { plotlyPath });
    assertEquals(occurrences(noFigures, "FAKE PLOTLY"), 0);
  } finally {
    await Deno.remove(plotlyPath);
  }
});

Deno.test("report: the page title is escaped", async () => {
  const html = await renderHtmlReport([{ kind: "text", markdown: "x" }], { title: "A < B & C" });
  assertStringIncludes(html, "<title>A &lt; B &amp; C</title>");
});

Deno.test("report: a table row of the wrong width names the section and row", async () => {
  const error = await renderHtmlReport([
    { kind: "table", columns: ["a", "b"], rows: [["x", 1], ["y"]] },
  ]).catch((caught: Error) => caught);
  assert(error instanceof Error);
  assertStringIncludes(error.message, "section 0 table row 1 has 1 cells, expected 2");
});

Deno.test("markdown subset: escapes markup, renders headings, lists, emphasis, code", () => {
  assertEquals(
    markdownToHtml("## Results <b>\n- **a**\n- `b`\n\n*c* d"),
    "<h2>Results &lt;b&gt;</h2>\n<ul><li><strong>a</strong></li><li><code>b</code></li></ul>\n" +
      "<p><em>c</em> d</p>",
  );
});

Deno.test("markdown subset: pipe tables become tables, fenced blocks preformatted", () => {
  const markdown = "### Main table\n\n| system | NDCG@10 |\n| --- | --- |\n" +
    "| Pop | 0.0198 |\n| SASRec <b> | 0.0853 ± 0.0070 |\n\n```\nusers   671\nitems   3,496\n```\n" +
    "after";
  assertEquals(
    markdownToHtml(markdown),
    "<h3>Main table</h3>\n<table><thead><tr><th>system</th><th>NDCG@10</th></tr></thead>" +
      "<tbody><tr><td>Pop</td><td>0.0198</td></tr>" +
      "<tr><td>SASRec &lt;b&gt;</td><td>0.0853 ±&nbsp;0.0070</td></tr></tbody></table>\n" +
      "<pre><code>users   671\nitems   3,496</code></pre>\n<p>after</p>",
  );
  // Outside a table a "mean ± std" is plain text; a "|" line without a separator row stays text.
  assertEquals(markdownToHtml("0.1 ± 0.2"), "<p>0.1 ± 0.2</p>");
  assertEquals(markdownToHtml("| not a table |"), "<p>| not a table |</p>");
});

Deno.test("markdown subset: every emphasis and every spread of a line; a table ends at its last row", () => {
  assertEquals(markdownToHtml("*a* and *b*"), "<p><em>a</em> and <em>b</em></p>");
  assertEquals(
    markdownToHtml("| valid / test |\n| --- |\n| 0.1 ± 0.2 / 0.3 ± 0.4 |\nafter"),
    "<table><thead><tr><th>valid / test</th></tr></thead>" +
      "<tbody><tr><td>0.1 ±&nbsp;0.2 / 0.3 ±&nbsp;0.4</td></tr></tbody></table>\n<p>after</p>",
  );
});

Deno.test("external URL scan: resource tags and CSS only, script bodies and links ignored", () => {
  const html =
    `<link rel="stylesheet" href="https://cdn.x/a.css"><script src="//cdn.x/b.js"></script>` +
    `<script>var u = "https://never.loaded/c.js";</script><a href="https://arxiv.org/abs/2305.01915">paper</a>` +
    `<style>body{background:url('https://img.x/d.png')}</style><img src="data:image/png;base64,AA">`;
  assertEquals(externalResourceUrls(html), [
    "//cdn.x/b.js",
    "https://cdn.x/a.css",
    "https://img.x/d.png",
  ]);
});

Deno.test("figure count: a figure counts as drawn only if its own div holds main-svg", () => {
  const html = `<div class="demure-plot js-plotly-plot" id="a"><svg class="main-svg"></svg></div>` +
    `<script>x()</script><div class="demure-plot" id="b"></div>`;
  assertEquals(countFigures(html), { figures: 2, drawn: 1 });
});

Deno.test("net log: page requests kept, the browser's own requests dropped", () => {
  const log = JSON.stringify({
    constants: { logEventTypes: { URL_REQUEST_START_JOB: 7, REQUEST_ALIVE: 3 } },
    events: [
      { type: 7, params: { url: "https://update.googleapis.com/x", initiator: "not an origin" } },
      { type: 7, params: { url: "https://cdn.example.org/lib.js", initiator: "null" } },
      { type: 7, params: { url: "file:///tmp/page.html", initiator: "null" } },
      { type: 7, params: { url: "wss://live.example.org/socket", initiator: "null" } },
      { type: 3, params: { url: "https://other.example.org/" } },
    ],
  });
  const requests = ["https://cdn.example.org/lib.js", "wss://live.example.org/socket"];
  assertEquals(pageRequestsFromNetLog(log), requests);
  // A log cut off before its closing brackets still parses.
  assertEquals(pageRequestsFromNetLog(log.slice(0, -2) + ","), requests);
});

Deno.test("figure div: without a size the plot fills the width at 450 px high", () => {
  const html = figureDivHtml({ data: [], layout: {} }, { elementId: "f" });
  assertStringIncludes(html, 'style="width:100%;height:450px;"');
});

Deno.test("figure div: a figure's own width and height size its div", () => {
  // Found by mutation round JN (JN01, JN02: each size fell back to its default unnoticed).
  const html = figureDivHtml({ data: [], layout: { width: 640, height: 320 } }, { elementId: "f" });
  assertStringIncludes(html, 'style="width:640px;height:320px;"');
  const tall = figureDivHtml({ data: [], layout: { height: 700 } }, { elementId: "f" });
  assertStringIncludes(tall, 'style="width:100%;height:700px;"');
});

/** What a figure div's script did on a stand-in page: its `newPlot` calls and `load` listeners. */
interface ScriptRun {
  drawn: unknown[][];
  onLoad: (() => void)[];
  window: { Plotly?: { newPlot: (...args: unknown[]) => void } };
}

/**
 * Runs the drawing script of `html` (a figure div) on a stand-in page: `sibling` is the element
 * before the script, `byId` what `document.getElementById` finds, `plotly` whether plotly.js is
 * loaded yet.
 */
function runFigureScript(html: string, sibling: object | null, byId: object, plotly: boolean) {
  const script = html.slice(
    html.indexOf("<script>") + "<script>".length,
    html.lastIndexOf("</script>"),
  );
  const run: ScriptRun = { drawn: [], onLoad: [], window: {} };
  const plotlyStandIn = { newPlot: (...args: unknown[]) => run.drawn.push(args) };
  run.window = {
    ...(plotly ? { Plotly: plotlyStandIn } : {}),
    addEventListener: (type: string, listener: () => void) => {
      if (type === "load") run.onLoad.push(listener);
    },
  } as ScriptRun["window"];
  const document = {
    currentScript: { previousElementSibling: sibling },
    getElementById: (id: string) => (id === "f" ? byId : null),
  };
  new Function("document", "window", script)(document, run.window);
  return { run, plotlyStandIn };
}

Deno.test("figure div: the script draws into its own div, at once or on load, responsive unless static", () => {
  const figure: Figure = { data: [{ type: "bar", x: ["a"], y: [1] }], layout: { height: 200 } };
  // Distinct contents: assertEquals compares by value.
  const own = { id: "f", div: "this figure's" };
  const earlier = { id: "f", div: "an earlier session's" };
  // An earlier kernel session's div of the same id is what getElementById finds: not drawn into.
  const { run } = runFigureScript(figureDivHtml(figure, { elementId: "f" }), own, earlier, true);
  assertEquals(run.drawn, [[own, figure.data, figure.layout, {
    responsive: true,
    displaylogo: false,
  }]]);
  assertEquals(run.onLoad, []);
  // A script whose previous sibling is not its div (moved by the page) falls back to the id.
  const other = { id: "g", div: "another" };
  const moved = runFigureScript(figureDivHtml(figure, { elementId: "f" }), other, earlier, true);
  assertEquals(moved.run.drawn[0][0], earlier);
  // Before plotly.js loads nothing is drawn; on load, once, statically when asked.
  const html = figureDivHtml(figure, { elementId: "f", staticPlot: true });
  const late = runFigureScript(html, own, earlier, false);
  assertEquals([late.run.drawn.length, late.run.onLoad.length], [0, 1]);
  late.run.window.Plotly = late.plotlyStandIn;
  late.run.onLoad[0]();
  assertEquals(late.run.drawn, [[own, figure.data, figure.layout, {
    staticPlot: true,
    displaylogo: false,
  }]]);
});

Deno.test("figure div: a captioned figure is styled inline as the report's figure and figcaption", async () => {
  // A notebook page has none of our stylesheet: each declaration of the report's rule for the
  // element is on it inline.
  const page = await renderHtmlReport([{ kind: "text", markdown: "x" }]);
  const html = figureDivHtml({ data: [], layout: {} }, { elementId: "f", caption: "c" });
  for (const element of ["figure", "figcaption"]) {
    const rule = page.match(new RegExp(`[}>]${element}\\{([^}]*)\\}`));
    assert(rule !== null, `no ${element} rule in the report's style`);
    const inline = html.match(new RegExp(`<${element} style="([^"]*)"`));
    assert(inline !== null, `${element} has no inline style`);
    for (const declaration of rule[1].split(";")) {
      assert(inline[1].split(";").includes(declaration), `${element}: ${declaration} missing`);
    }
  }
});

Deno.test("figure div: bad ids cannot break out of the attribute", () => {
  const html = figureDivHtml({ data: [], layout: {} }, { elementId: 'x"><img src=y>' });
  assertEquals(externalResourceUrls(html), []);
  assertEquals(html.includes("<img"), false);
  assertStringIncludes(html, 'id="x&quot;&gt;&lt;img src=y&gt;"');
});

Deno.test("plotly bundle: the builders' trace types are all in the default (cartesian) bundle", async () => {
  const figures = [
    contributionHeatmap({ values: [1, 2], numPositions: 1, modalityNames: ["id", "text"] }),
    groupedBars({ categories: ["a"], series: [{ name: "s", values: [1] }] }),
    lineWithBands({ series: [{ name: "s", x: [1], y: [1] }] }),
  ];
  for (const figure of figures) assertEquals(tracesOutsideDefaultBundle(figure), []);
  const surface = { data: [{ type: "surface" }], layout: {} } as unknown as Figure;
  assertEquals(tracesOutsideDefaultBundle(surface), ["surface"]);
  const bundle = await loadPlotlyBundle();
  assert(bundle.length < 2_000_000, `default bundle is ${bundle.length} characters`);
  assert(bundle.includes("heatmap"), "the default bundle registers heatmap traces");
});

Deno.test("markdown subset: a fenced block is escaped; a line after a list is a paragraph after it", () => {
  assertEquals(
    markdownToHtml("```\n<script>alert(1)</script> & co\n```"),
    "<pre><code>&lt;script&gt;alert(1)&lt;/script&gt; &amp; co</code></pre>",
  );
  // After a list, a line is a paragraph after it; a heading needs its space; a separator row
  // must end its line.
  for (
    const [markdown, html] of [
      ["- a\n- b\nafter", "<ul><li>a</li><li>b</li></ul>\n<p>after</p>"],
      ["#5 of 10", "<p>#5 of 10</p>"],
      ["| a |\n| --- | b", "<p>| a | | --- | b</p>"],
    ]
  ) assertEquals(markdownToHtml(markdown), html);
});

Deno.test("inline escaping: an upper-case </SCRIPT in plotly.js cannot close the element either", () => {
  assertEquals(inlineScriptText('a="</SCRIPT>";b="</Script"'), 'a="<\\/SCRIPT>";b="<\\/Script"');
});

Deno.test("plotly bundle: a trace without a type is a scatter (default bundle); a missing bundle is named", async () => {
  const typeless = { data: [{ x: [1], y: [1] }], layout: {} } as unknown as Figure;
  assertEquals(tracesOutsideDefaultBundle(typeless), []);
  const missing = "/nonexistent/plotly-t36.min.js";
  const error = await loadPlotlyBundle(missing).catch((caught: Error) => caught);
  assert(error instanceof Error);
  assertStringIncludes(error.message, `cannot read ${missing} (`);
});

Deno.test("figure count: a later figure's svg does not count for an earlier one; script text is no figure", () => {
  const html = `<div class="demure-plot" id="a"></div>` +
    `<div class="demure-plot" id="b"><svg class="main-svg"></svg></div>` +
    `<script>var template = '<div class="demure-plot"><svg class="main-svg"></svg></div>';</script>`;
  assertEquals(countFigures(html), { figures: 2, drawn: 1 });
});

Deno.test("report: a figure's caption is escaped; the report is written into a new folder, whole", async () => {
  await inTempDir("html-report-test-", async (dir) => {
    const plotlyPath = `${dir}/plotly.js`;
    await Deno.writeTextFile(plotlyPath, "/*FAKE PLOTLY*/");
    const page = await renderHtmlReport([
      { kind: "figure", figure: { data: [], layout: {} }, caption: "A <b> & B" },
    ], { plotlyPath });
    assertStringIncludes(page, "<figcaption>A &lt;b&gt; &amp; B</figcaption>");
    const path = `${dir}/new/folder/report.html`;
    await writeHtmlReport(path, [{ kind: "text", markdown: "# Only text" }]);
    assertStringIncludes(await Deno.readTextFile(path), "<h1>Only text</h1>");
    assertEquals([...Deno.readDirSync(`${dir}/new/folder`)].map((entry) => entry.name), [
      "report.html",
    ]);
  });
});

Deno.test("report: a figure outside the default bundle gets the full plotly.js", async () => {
  const surface = { data: [{ type: "surface", z: [[1]] }], layout: {} } as unknown as Figure;
  const html = await renderHtmlReport([{ kind: "figure", figure: surface }]);
  // The full bundle is about 10 MB, the default (cartesian) one 1.5 MB.
  assert(html.length > 5_000_000, `${html.length} characters: the cartesian bundle has no surface`);
});

Deno.test("markdown subset: every bold and every code span of a line is rendered", () => {
  assertEquals(
    markdownToHtml("**HR@10** and **NDCG@10** of `a` and `b`"),
    "<p><strong>HR@10</strong> and <strong>NDCG@10</strong> of <code>a</code> and " +
      "<code>b</code></p>",
  );
});

Deno.test("markdown subset: a table may end the text; a row ends in |; indented lines and '*' bullets", () => {
  // The last line of a report's text can be a table row: nothing follows it to end the table.
  assertEquals(
    markdownToHtml("| a |\n| --- |\n| 1 |"),
    "<table><thead><tr><th>a</th></tr></thead><tbody><tr><td>1</td></tr></tbody></table>",
  );
  // A "|" line that does not end in "|" is no row: it ends the table as text after it.
  assertEquals(
    markdownToHtml("| a |\n| --- |\n| 1 |\n| 2 | 3"),
    "<table><thead><tr><th>a</th></tr></thead><tbody><tr><td>1</td></tr></tbody></table>\n" +
      "<p>| 2 | 3</p>",
  );
  // Lines are read without their surrounding spaces (a row with trailing spaces is still a row),
  // and "*" starts a list item as "-" does.
  assertEquals(
    markdownToHtml("  | a |  \n  | --- |\n  | 1 |  \n\n  - x\n* y"),
    "<table><thead><tr><th>a</th></tr></thead><tbody><tr><td>1</td></tr></tbody></table>\n" +
      "<ul><li>x</li><li>y</li></ul>",
  );
});

Deno.test("markdown subset: a fenced block keeps each line's leading spaces (its columns)", () => {
  assertEquals(
    markdownToHtml("```\nusers\n   671\n  items 3\n```"),
    "<pre><code>users\n   671\n  items 3</code></pre>",
  );
});

Deno.test("report: figures get distinct ids, the default bundle, and the page declares UTF-8", async () => {
  const figure: Figure = { data: [{ type: "bar", x: ["a"], y: [1] }], layout: {} };
  const html = await renderHtmlReport([
    { kind: "figure", figure },
    { kind: "text", markdown: "0.1 ± 0.2 – n/a" },
    { kind: "figure", figure },
  ]);
  const ids = [...html.matchAll(/<div class="demure-plot" id="([^"]*)"/g)].map((match) => match[1]);
  assertEquals(ids.length, 2);
  assertEquals(new Set(ids).size, 2, `figure ids ${ids.join(", ")} repeat`);
  // Cartesian figures need only the minified bundle (1.5 MB), not the full one (10 MB).
  // (`assert`, not `assertStringIncludes`: a failure would print the 1.5 MB page.)
  assert(html.includes(await loadPlotlyBundle()), "the default bundle is not inlined");
  assert(html.length < 2_000_000, `${html.length} characters: the full bundle was inlined`);
  // Opened from a file, a page without a charset showed "±" and "–" as mojibake.
  assert(html.includes('<meta charset="utf-8">'), "the page declares no charset");
});

Deno.test("report: an explicit plotlyPath is used even for a figure outside the default bundle", async () => {
  await inTempDir("html-report-path-", async (dir) => {
    const plotlyPath = `${dir}/plotly.js`;
    await Deno.writeTextFile(plotlyPath, "/*MY PLOTLY*/");
    const surface = { data: [{ type: "surface", z: [[1]] }], layout: {} } as unknown as Figure;
    const html = await renderHtmlReport([{ kind: "figure", figure: surface }], { plotlyPath });
    assertEquals(occurrences(html, "/*MY PLOTLY*/"), 1);
    assert(html.length < 100_000, `${html.length} characters: the full bundle was inlined`);
  });
});

Deno.test("plotly bundle: every '<!--' is escaped; outside types are named once each", () => {
  assertEquals(inlineScriptText('a="<!--";b="<!--"'), 'a="<\\!--";b="<\\!--"');
  const two = { data: [{ type: "surface" }, { type: "surface" }], layout: {} } as unknown as Figure;
  assertEquals(tracesOutsideDefaultBundle(two), ["surface"]);
});

Deno.test("plotly bundle: the default trace types are exactly those the cartesian bundle registers", async () => {
  // A type listed but missing draws nothing; a type missing from the list pulls in the 10 MB bundle.
  const bundle = await loadPlotlyBundle();
  const registered = new Set(
    [...bundle.matchAll(/moduleType:"trace",name:"([a-z0-9]+)"/g)].map((match) => match[1]),
  );
  assertEquals([...registered].sort(), [...DEFAULT_BUNDLE_TRACE_TYPES].sort());
});

Deno.test("external URL scan: iframes, CSS @import and upper-case SCRIPT bodies", () => {
  const html = `<iframe src="https://embed.x/v"></iframe>` +
    `<style>@import "https://css.x/a.css";</style>` +
    `<SCRIPT>var s = '<img src="https://never.loaded/p.png">';</SCRIPT>`;
  assertEquals(externalResourceUrls(html), ["https://css.x/a.css", "https://embed.x/v"]);
});

Deno.test("net log: only the browser's own requests ('not an origin') are dropped", () => {
  // A request without an initiator, or from an origin, is still the page's.
  const log = JSON.stringify({
    constants: { logEventTypes: { URL_REQUEST_START_JOB: 7 } },
    events: [
      { type: 7, params: { url: "https://a.example.org/x.js" } },
      {
        type: 7,
        params: { url: "https://b.example.org/y.js", initiator: "https://c.example.org" },
      },
      { type: 7, params: { url: "https://update.example.org/", initiator: "not an origin" } },
    ],
  });
  assertEquals(pageRequestsFromNetLog(log), [
    "https://a.example.org/x.js",
    "https://b.example.org/y.js",
  ]);
});

Deno.test("markdown subset: a table row with more or fewer cells than its header is refused by line", () => {
  // A short row rendered short, a long one put a cell under no header: the columns a reader
  // compares shifted without a word.
  for (
    const [markdown, line, cells] of [
      ["| a | b |\n| --- | --- |\n| 1 |", 3, 1],
      ["text\n\n| a | b |\n| --- | --- |\n| 1 | 2 |\n| 1 | 2 | 3 |", 6, 3],
      ["| a | b |\n| --- |\n| 1 | 2 |", 2, 1],
    ] as const
  ) {
    assertThrows(
      () => markdownToHtml(markdown),
      Error,
      `markdown table, line ${line}: ${cells} cells under a header of 2 (a, b)`,
    );
  }
});

Deno.test("external URL scan: srcset, data and poster attributes and ws(s) URLs are loads too", () => {
  const html = `<img srcset="https://img.x/a.png 2x"><object data="https://obj.x/o.svg"></object>` +
    `<video poster="https://img.x/p.jpg"></video><embed src="wss://live.x/s">`;
  assertEquals(externalResourceUrls(html), [
    "https://img.x/a.png",
    "https://img.x/p.jpg",
    "https://obj.x/o.svg",
    "wss://live.x/s",
  ]);
});

Deno.test("net log: a log whose constants lack URL_REQUEST_START_JOB is refused, not read as no requests", () => {
  // No event would match the type: the page's fetches would pass unseen.
  for (const constants of [{ logEventTypes: { REQUEST_ALIVE: 3 } }, {}]) {
    const log = JSON.stringify({
      constants,
      events: [{ type: 7, params: { url: "https://cdn.example.org/lib.js", initiator: "null" } }],
    });
    assertThrows(
      () => pageRequestsFromNetLog(log),
      Error,
      "pageRequestsFromNetLog: the net log's constants.logEventTypes has no URL_REQUEST_START_JOB number",
    );
  }
});

Deno.test("net log: requests come sorted and once each, whatever the order of the events", () => {
  const event = (url: string) => ({ type: 7, params: { url, initiator: "null" } });
  const log = JSON.stringify({
    constants: { logEventTypes: { URL_REQUEST_START_JOB: 7 } },
    events: ["https://z.example.org/", "https://a.example.org/", "https://z.example.org/"].map(
      event,
    ),
  });
  assertEquals(pageRequestsFromNetLog(log), ["https://a.example.org/", "https://z.example.org/"]);
});

Deno.test("markdown subset: an indented closing fence closes the block (text after it is no code)", () => {
  // The opening fence is read trimmed; a closing one indented as it is must end the block too,
  // or every line after it (the rest of the report) shows as code.
  assertEquals(
    markdownToHtml("  ```\n  users 671\n  ```\nafter"),
    "<pre><code>  users 671</code></pre>\n<p>after</p>",
  );
});

Deno.test("markdown subset: a separator row with alignment colons still makes a table", () => {
  // GFM's "| :--- | ---: |" aligns the columns; without it the rows read as one paragraph of "|".
  assertEquals(
    markdownToHtml("| system | NDCG@10 |\n| :--- | ---: |\n| Pop | 0.0198 |"),
    "<table><thead><tr><th>system</th><th>NDCG@10</th></tr></thead>" +
      "<tbody><tr><td>Pop</td><td>0.0198</td></tr></tbody></table>",
  );
});

Deno.test("plotly bundle: each path is read and cached on its own (the full bundle after the default one)", async () => {
  // display() loads the default bundle, then the full one for a figure that needs it: a cache of
  // one entry would send the default again, and that figure would not draw.
  await inTempDir("demure-bundle-cache-", async (dir) => {
    const first = `${dir}/first.js`;
    const second = `${dir}/second.js`;
    await Deno.writeTextFile(first, "window.first = 1;");
    await Deno.writeTextFile(second, "window.second = 2;");
    assertEquals(await loadPlotlyBundle(first), "window.first = 1;");
    assertEquals(await loadPlotlyBundle(second), "window.second = 2;");
    assertEquals(await loadPlotlyBundle(first), "window.first = 1;");
  });
});

Deno.test("markdown subset: an unclosed fence runs to the end of the text, its last line kept", () => {
  assertEquals(
    markdownToHtml("```\nusers 671\nitems 3,496"),
    "<pre><code>users 671\nitems 3,496</code></pre>",
  );
});

Deno.test("markdown subset: a code span is literal, its '*' no emphasis; bold may hold a code span", () => {
  assertEquals(
    markdownToHtml("files `results/*/cells/*.json` and `a**b**c`"),
    "<p>files <code>results/*/cells/*.json</code> and <code>a**b**c</code></p>",
  );
  assertEquals(
    markdownToHtml("**set `DEMURE_RERUN=1`** and *then* `<b>`"),
    "<p><strong>set <code>DEMURE_RERUN=1</code></strong> and <em>then</em> <code>&lt;b&gt;</code></p>",
  );
});
