/** What a notebook helper prints outside a notebook (its console.log lines), for the tests. */

/** The lines `body` logs through console.log (each call's parts joined by a space), in order. */
export async function printedLines(body: () => Promise<unknown>): Promise<string[]> {
  const lines: string[] = [];
  const log = console.log;
  console.log = (...parts: unknown[]) => lines.push(parts.join(" "));
  try {
    await body();
  } finally {
    console.log = log;
  }
  return lines;
}
