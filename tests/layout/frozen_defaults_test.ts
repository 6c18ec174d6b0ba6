/**
 * Every shared default of the library (an exported `DEFAULT_*` object or list of any folder's
 * `mod.ts`) is frozen all the way down: a notebook that wrote into one (`DEFAULT_BATCHER.batchSize
 * = 8`, `DEFAULT_SYNTHETIC.modalities.pop()`) changed every later run in its kernel that took the
 * default, with nothing on the page to say so. Found for the trainer's and model's defaults by the
 * settings audit (session 48); this test holds every folder to it, new defaults included.
 */
import { assertEquals } from "@std/assert";

const libDir = new URL("../../lib/", import.meta.url);

/** The paths below `value` (itself "") that are objects or lists not frozen. */
function unfrozenParts(value: unknown, path = ""): string[] {
  if (value === null || typeof value !== "object" || value instanceof URL) return [];
  const own = Object.isFrozen(value) ? [] : [path || "(itself)"];
  return [
    ...own,
    ...Object.entries(value).flatMap(([key, inner]) => unfrozenParts(inner, `${path}.${key}`)),
  ];
}

Deno.test("every exported DEFAULT_* object or list is frozen, all the way down", async () => {
  const unfrozen: string[] = [];
  let checked = 0;
  for (const entry of Deno.readDirSync(libDir)) {
    if (!entry.isDirectory) continue;
    const module: Record<string, unknown> = await import(
      new URL(`${entry.name}/mod.ts`, libDir).href
    );
    for (const [name, value] of Object.entries(module)) {
      if (!name.startsWith("DEFAULT_") || value === null || typeof value !== "object") continue;
      if (value instanceof URL) continue; // a location, not settings
      checked++;
      unfrozen.push(...unfrozenParts(value).map((part) => `lib/${entry.name}: ${name} ${part}`));
    }
  }
  assertEquals(unfrozen, []);
  // The walk found the defaults at all (an import path gone wrong would check nothing).
  assertEquals(checked >= 20, true, `only ${checked} defaults found`);
});
