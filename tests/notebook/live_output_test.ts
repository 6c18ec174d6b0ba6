/**
 * The kernel output the progress lines are shown in (lib/notebook/_live_output.ts), against a
 * recorder of the kernel's display calls: the first show creates the output, later ones update
 * it; two outputs never share an id; the HTML form is escaped; a failed display is rethrown.
 */
import { assertEquals, assertNotEquals, assertRejects } from "@std/assert";
import { type DisplayApi, liveOutput } from "../../lib/notebook/_live_output.ts";

interface DisplayCall {
  bundle: Record<string, string>;
  update?: boolean;
  id?: string;
  raw?: boolean;
}

function recorder(): { calls: DisplayCall[]; api: DisplayApi } {
  const calls: DisplayCall[] = [];
  const display = (
    bundle: unknown,
    options?: { raw?: boolean; update?: boolean; display_id?: string },
  ) => {
    calls.push({
      bundle: bundle as Record<string, string>,
      update: options?.update,
      id: options?.display_id,
      raw: options?.raw,
    });
    return Promise.resolve();
  };
  return { calls, api: { display } as DisplayApi };
}

Deno.test("liveOutput: the first show creates the output, later ones update it under its id", async () => {
  // Jupyter ignores an update of an id it never displayed: a first show sent as an update
  // showed nothing at all.
  const { calls, api } = recorder();
  const output = liveOutput(api);
  output.show("epoch 1/3");
  output.show("epoch 2/3");
  output.show("epoch 3/3");
  await output.done();
  assertEquals(calls.map((call) => call.update), [false, true, true]);
  // Sent raw: the bundle is the mime bundle itself. Without it the kernel formats the object
  // (its keys and strings) as a value, and the page shows that instead of the line.
  assertEquals(calls.map((call) => call.raw), [true, true, true]);
  assertEquals(new Set(calls.map((call) => call.id)).size, 1);
  assertEquals(calls.at(-1)!.bundle["text/plain"], "epoch 3/3");
});

Deno.test("liveOutput: two outputs of one kernel have ids of their own", async () => {
  // One id for both would make the second progress line overwrite the first one's output.
  const { calls, api } = recorder();
  const first = liveOutput(api);
  const second = liveOutput(api);
  first.show("a");
  second.show("b");
  await first.done();
  await second.done();
  assertNotEquals(calls[0].id, calls[1].id);
});

Deno.test("liveOutput: the HTML form escapes < and &; the plain form is the text", async () => {
  const { calls, api } = recorder();
  const output = liveOutput(api);
  output.show("loss <1 & falling");
  await output.done();
  assertEquals(calls[0].bundle["text/plain"], "loss <1 & falling");
  assertEquals(
    calls[0].bundle["text/html"],
    '<pre style="margin:0">loss &lt;1 &amp; falling</pre>',
  );
});

Deno.test("liveOutput: done() rethrows a display that failed", async () => {
  const api = { display: () => Promise.reject(new Error("kernel gone")) } as unknown as DisplayApi;
  const output = liveOutput(api);
  output.show("epoch 1/3");
  await assertRejects(() => output.done(), Error, "kernel gone");
});

Deno.test("liveOutput: every < and & of a line is escaped, not only the first", async () => {
  // Found by mutation round JN (JN22, JN23: a non-global replace escaped the first one only).
  const { calls, api } = recorder();
  const output = liveOutput(api);
  output.show("a<b & c<d & e");
  await output.done();
  assertEquals(
    calls[0].bundle["text/html"],
    '<pre style="margin:0">a&lt;b &amp; c&lt;d &amp; e</pre>',
  );
});

Deno.test("liveOutput: done() rethrows a display failure that is not an Error", async () => {
  // A rejection with a plain value is a failure too; done() must not report success.
  // Found by mutation round JN (JN24).
  const api = { display: () => Promise.reject("kernel gone") } as unknown as DisplayApi;
  const output = liveOutput(api);
  output.show("epoch 1/3");
  let thrown: unknown = undefined;
  try {
    await output.done();
  } catch (error) {
    thrown = error;
  }
  assertEquals(thrown, "kernel gone");
});

Deno.test("liveOutput: a first show of empty text still creates the output the next one updates", async () => {
  // Found by mutation round JN (JN26: an empty first text left the output uncreated, so the next
  // show created a second one instead of replacing it).
  const { calls, api } = recorder();
  const output = liveOutput(api);
  output.show("");
  output.show("epoch 1/3");
  await output.done();
  assertEquals(calls.map((call) => call.update), [false, true]);
  assertEquals(calls[0].id, calls[1].id);
});
