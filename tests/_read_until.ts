/** A child process's output read until a mark: the tests that signal a child once it is ready. */

/** Reads `reader` until its text holds `mark` or the stream ends; the text read. */
export async function readUntil(
  reader: ReadableStreamDefaultReader<Uint8Array>,
  mark: string,
): Promise<string> {
  const decoder = new TextDecoder();
  let text = "";
  while (!text.includes(mark)) {
    const { value, done } = await reader.read();
    if (done) break;
    text += decoder.decode(value, { stream: true });
  }
  return text;
}
