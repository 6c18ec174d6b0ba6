/**
 * Gaps found by hand mutation testing (session 52) of `unresolvedPageReferences`
 * (lib/viz/page_references.ts): each test fails on a small change that would let a page with a
 * broken reference pass the check, or name a sound one, or name one wrongly.
 */
import { assertEquals } from "@std/assert";
import { unresolvedPageReferences } from "../../lib/viz/page_references.ts";

Deno.test("unresolvedPageReferences: a video's poster beside the page is named", () => {
  assertEquals(unresolvedPageReferences('<video poster="still.png"></video>'), [
    'resource beside the page: <video poster="still.png">',
  ]);
});

Deno.test("unresolvedPageReferences: attribute entities are decoded as the browser reads them", () => {
  // "&#35;results" is "#results", a place the page has: no problem.
  assertEquals(
    unresolvedPageReferences('<h2 id="results">R</h2><a href="&#35;results">results</a>'),
    [],
  );
  // "&amp;" is "&": the file is named as the browser asks for it.
  assertEquals(unresolvedPageReferences('<img src="loss&amp;ndcg.png">'), [
    'resource beside the page: <img src="loss&ndcg.png">',
  ]);
});

Deno.test("unresolvedPageReferences: a network path (//host/...) is off the machine, not beside the page", () => {
  assertEquals(unresolvedPageReferences('<img src="//example.org/a.png">'), []);
});

Deno.test("unresolvedPageReferences: a resource that is only a fragment names no file", () => {
  assertEquals(unresolvedPageReferences('<img src="#sprite">'), []);
});

Deno.test("unresolvedPageReferences: a srcset candidate is named without its separating comma", () => {
  assertEquals(unresolvedPageReferences('<img srcset="small.png, large.png 2x">'), [
    'resource beside the page: <img srcset="large.png">',
    'resource beside the page: <img srcset="small.png">',
  ]);
});

Deno.test("unresolvedPageReferences: the problems come sorted, whatever their order in the page", () => {
  assertEquals(
    unresolvedPageReferences('<a href="#zeta">z</a><img src="b.png"><a href="#alpha">a</a>'),
    [
      "link to a missing place: #alpha",
      "link to a missing place: #zeta",
      'resource beside the page: <img src="b.png">',
    ],
  );
});
