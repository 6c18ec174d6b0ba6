/**
 * envFlag's answer for each of a list of values of DEMURE_TEST_FLAG, read in a process of its own
 * (the parallel suite's files share this one's environment): the one home of the child that
 * env_flag_test.ts and env_flag_gaps_test.ts each wrote out.
 */
import { evalInSubprocess, projectModule } from "../_eval_in_subprocess.ts";

/** For each value (null: unset), `envFlag("DEMURE_TEST_FLAG")`, or its error's message. */
export function envFlagReads(values: readonly (string | null)[]): Promise<(boolean | string)[]> {
  return evalInSubprocess<(boolean | string)[]>(
    `import { envFlag } from ${projectModule("lib/util/env_flag.ts")};
const read = (value) => {
  if (value === null) Deno.env.delete("DEMURE_TEST_FLAG");
  else Deno.env.set("DEMURE_TEST_FLAG", value);
  try {
    return envFlag("DEMURE_TEST_FLAG");
  } catch (error) {
    return error.message;
  }
};
console.log(JSON.stringify(${JSON.stringify(values)}.map(read)));`,
  );
}
