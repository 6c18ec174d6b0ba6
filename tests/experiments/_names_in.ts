/** What a test's results folder holds: the names of its entries, sorted (claims, locks, asides). */
export function namesIn(directory: string): string[] {
  return [...Deno.readDirSync(directory)].map((entry) => entry.name).sort();
}
