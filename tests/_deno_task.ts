/**
 * The command line of a task in the project's deno.json (what `deno task <name>` runs): the one
 * place tests read it, so that a test runs a script with the permissions its task grants.
 */
const root = new URL("../", import.meta.url);

/** The command of task `name` in deno.json; an error naming it when deno.json has no such task. */
export function denoTask(name: string): string {
  const { tasks } = JSON.parse(Deno.readTextFileSync(new URL("deno.json", root))) as {
    tasks: Record<string, string>;
  };
  const task = tasks[name];
  if (task === undefined) throw new Error(`deno.json has no task ${JSON.stringify(name)}`);
  return task;
}
