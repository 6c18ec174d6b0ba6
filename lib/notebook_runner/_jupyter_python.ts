import { envText } from "../util/env_text.ts";

/**
 * The Python with Jupyter that runs and serves the notebooks: `$DEMURE_JUPYTER_PYTHON`, else
 * Debian's `/usr/bin/python3` (the `python3` first on PATH may lack Jupyter's modules). An empty
 * value counts as unset, as for the other settings read from the environment: it was taken as the
 * program "" (`DEMURE_JUPYTER_PYTHON= ./run.sh lab` said "cannot run  (Failed to spawn '')" and
 * advised installing Jupyter). A value with white space around it throws ({@linkcode envText}).
 */
export function defaultJupyterPython(): string {
  return envText("DEMURE_JUPYTER_PYTHON") ?? "/usr/bin/python3";
}
