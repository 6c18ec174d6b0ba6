/**
 * A directory of finished grid cells, one JSON file per cell, so that a run that stops part-way
 * resumes without redoing finished cells. A cell's file name is derived from its key; a file is
 * written atomically, so a cell is either finished or absent. Each file also records the cell's
 * settings: a stored cell whose settings differ from the requested ones counts as not finished,
 * so changing a default reruns exactly the cells it affects.
 *
 * @example
 * ```ts
 * const store = new ResultStore("results/cells");
 * const cell = store.get<MyResult>(key, settings) ?? store.put(key, settings, await run());
 * ```
 */
import { writeFilesAtomically } from "../data/atomic_write.ts";

function fileNameOf(key: string): string {
  return `${key.replace(/[^A-Za-z0-9=._-]+/g, "__")}.json`;
}

export class ResultStore {
  readonly directory: string;

  constructor(directory: string) {
    this.directory = directory;
    Deno.mkdirSync(directory, { recursive: true });
  }

  /** Path of the cell's file. */
  pathOf(key: string): string {
    return `${this.directory}/${fileNameOf(key)}`;
  }

  /** The stored result of `key` run with `settings`, or undefined when there is none. */
  get<T>(key: string, settings: unknown): T | undefined {
    const path = this.pathOf(key);
    let text: string;
    try {
      text = Deno.readTextFileSync(path);
    } catch (error) {
      if (error instanceof Deno.errors.NotFound) return undefined;
      throw error;
    }
    try {
      const stored = JSON.parse(text) as { key: string; settings: unknown; result: T };
      if (stored.key !== key) throw new Error(`holds key "${stored.key}", expected "${key}"`);
      return JSON.stringify(stored.settings) === JSON.stringify(settings)
        ? stored.result
        : undefined;
    } catch (error) {
      throw new Error(`${path}: unreadable cell result (${(error as Error).message}); delete it`);
    }
  }

  /** Stores the result of `key` run with `settings` atomically and returns it. */
  put<T>(key: string, settings: unknown, result: T): T {
    writeFilesAtomically([
      { path: this.pathOf(key), data: JSON.stringify({ key, settings, result }, null, 1) },
    ]);
    return result;
  }
}
