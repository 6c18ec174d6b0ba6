/**
 * One output of the Deno kernel that is replaced in place: the first `show` creates it with a
 * `display_id`, later ones send `update_display_data` for that id, so Jupyter (and the executed
 * notebook a page is rendered from) keeps only the last text. Shared by the progress line and the
 * plan cells' progress, the one place that speaks to the kernel's display for them.
 */
/** The part of the kernel's API a live output needs (a test passes a recorder of its own). */
export type DisplayApi = Pick<typeof Deno.jupyter, "display">;

/** A text output replaced in place. */
export interface LiveOutput {
  /** Shows `text` in place of what the output showed (the first call creates it). */
  show: (text: string) => void;
  /** Waits until every update reached the kernel; rethrows a display failure. */
  done: () => Promise<void>;
}

let outputCounter = 0;

/** The mime bundle of `text`: plain, and preformatted HTML (escaped) so lines keep their shape. */
function textBundle(text: string): Record<string, string> {
  const html = text.replace(/&/g, "&amp;").replace(/</g, "&lt;");
  return { "text/plain": text, "text/html": `<pre style="margin:0">${html}</pre>` };
}

/**
 * A live output on `jupyter`'s display.
 *
 * @example
 * ```ts
 * const output = liveOutput(Deno.jupyter);
 * output.show("epoch 1/3");
 * output.show("epoch 2/3");
 * await output.done();
 * ```
 */
export function liveOutput(jupyter: DisplayApi): LiveOutput {
  outputCounter += 1;
  const displayId = `demure-progress-${outputCounter}`;
  let shown = false;
  // Display calls are asynchronous while show() is synchronous: chain them to keep order.
  let pending: Promise<void> = Promise.resolve();
  // A flag of its own: a display may reject with any value, null and undefined too, and each is
  // a failure that done() must rethrow, not read as "none".
  let failed = false;
  let failure: unknown = undefined;
  const show = (text: string): void => {
    const update = shown;
    shown = true;
    pending = pending
      .then(() => jupyter.display(textBundle(text), { raw: true, update, display_id: displayId }))
      .catch((error) => {
        failed = true;
        failure = error;
      });
  };
  const done = async (): Promise<void> => {
    await pending;
    if (failed) throw failure;
  };
  return { show, done };
}
