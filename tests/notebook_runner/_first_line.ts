/**
 * The child's first line, read to its end: one read of a pipe may hold only part of it (measured
 * 2026-12-06: 2 of 5 first reads returned "24258" without the second pid). Reading one chunk made
 * a process test fail now and then in the full suite, looking for a truncated pid, and SIGKILL
 * that pid at the end, whatever process it was.
 */
export async function firstLine(reader: ReadableStreamDefaultReader<string>): Promise<string> {
  let text = "";
  while (!text.includes("\n")) {
    const { value, done } = await reader.read();
    if (done) throw new Error(`the child ended before its first line: ${JSON.stringify(text)}`);
    text += value;
  }
  return text.slice(0, text.indexOf("\n"));
}
