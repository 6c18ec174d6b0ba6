#!/usr/bin/python3
"""Execute a Jupyter notebook on a kernel without losing outputs, or render one to offline HTML.

Why not `jupyter nbconvert --execute`: the Deno kernel can report a cell `idle` before all of its
iopub outputs have arrived, and nbclient stops listening at `idle`, so late outputs are lost (about
15% of cells in a trial). It also occasionally fails with `Invalid Signature`. This runner:

- routes every iopub message to the cell whose execute_request is its parent (by msg_id), so a
  late message still lands in the right cell, even after later cells have started;
- after `idle` and the shell reply, keeps reading until the channel has been quiet for
  `--quiet-ms` milliseconds;
- handles stream (merged like nbclient), display_data, update_display_data (display_id),
  execute_result, clear_output and error;
- exits non-zero, naming the cell index and printing the traceback, when a cell raises;
- prints one line per executed cell on stdout as it finishes ("cell 5 done in 1.2 s (3/7)": the
  notebook's cell index, as in the error messages, its seconds, and its place among the code cells
  to run), which the Deno side passes on as progress;
- while a cell runs, prints a line every `--progress-seconds` seconds ("cell 5 running for 60 s
  (3/7): epoch 4 ..."), with the last line of text the cell has shown so far (its last stream line
  or the text of its latest display, such as the library's in-place progress), so that a long
  cell is never silent;
- stops on SIGTERM as on Ctrl-C (SIGINT): the kernel is shut down and the exit status is 128 + the
  signal's number (a second signal while it stops is ignored);
- re-runs the whole session (default: up to 6 attempts) when a kernel message fails its HMAC
  signature check (`Invalid Signature`, seen in roughly 1 of 4 runs of some notebooks); cells
  are idempotent and cache their expensive results, so a re-run is cheap.

Run with Debian's /usr/bin/python3 (Jupyter's modules live there, not in the first python3 on PATH).

  notebook_runner.py execute IN.ipynb OUT.ipynb [--kernel deno] [--quiet-ms 300]
                     [--progress-seconds 60] [--env K=V ...]
  notebook_runner.py html EXECUTED.ipynb OUT.html [--no-input]
"""

import argparse
import os
import queue
import signal
import sys
import time
import traceback

import nbformat
from jupyter_client import KernelManager

EXIT_CELL_ERROR = 1
EXIT_RUNNER_ERROR = 2


class CellFailed(Exception):
    """A cell raised (or timed out); carries the notebook cell index for the message."""

    def __init__(self, cell_index, summary, traceback_text):
        super().__init__(summary)
        self.cell_index = cell_index
        self.summary = summary
        self.traceback_text = traceback_text


class Stopped(KeyboardInterrupt):
    """SIGTERM or SIGINT: unwinds like Ctrl-C, so every `finally` (the kernel's shutdown) runs."""

    def __init__(self, signal_number):
        super().__init__(signal.Signals(signal_number).name)
        self.signal_number = signal_number


def stop_on_signals():
    """SIGTERM (e.g. from `timeout`, or passed on by run_notebooks.ts) stops like SIGINT. The first
    signal raises `Stopped`; later ones are ignored, so that a Ctrl-C reaching this process both
    from the terminal and through its parent cannot interrupt the kernel's shutdown."""

    def stop(signal_number, _frame):
        for name in (signal.SIGINT, signal.SIGTERM):
            signal.signal(name, signal.SIG_IGN)
        raise Stopped(signal_number)

    for name in (signal.SIGINT, signal.SIGTERM):
        signal.signal(name, stop)


class SignatureFailure(Exception):
    """The kernel sent a message whose HMAC did not verify; the session is retried once."""


def is_signature_error(error):
    return "Invalid Signature" in str(error)


def frame_bytes(frame):
    return frame if isinstance(frame, bytes) else getattr(frame, "bytes", bytes(frame))


def describe_unsigned(msg_list):
    """One line about a message that failed its signature check (header and frame sizes), so the
    kernel bug can be reported with evidence; the content itself is not printed."""
    frames = [frame_bytes(frame) for frame in msg_list]
    header = frames[1][:300].decode("utf-8", "replace") if len(frames) > 1 else "?"
    sizes = ", ".join(str(len(frame)) for frame in frames)
    non_ascii = any(byte > 127 for frame in frames[1:5] for byte in frame)
    return f"header {header}; frame sizes [{sizes}]; non-ASCII bytes: {non_ascii}"


def install_signature_diagnostics():
    from jupyter_client.session import Session

    original = Session.deserialize

    def deserialize(self, msg_list, content=True, copy=True):
        try:
            return original(self, msg_list, content=content, copy=copy)
        except ValueError as error:
            if is_signature_error(error):
                raise ValueError(f"{error} ({describe_unsigned(msg_list)})") from error
            raise

    Session.deserialize = deserialize


class OutputCollector:
    """Builds nbformat outputs for every cell from iopub messages routed by parent msg_id."""

    def __init__(self, notebook):
        self.notebook = notebook
        self.cell_of_msg = {}
        # display_id -> list of (cell index, output index): update_display_data may target any cell.
        self.display_targets = {}
        # Cells whose next output clears the previous ones (clear_output(wait=True)).
        self.pending_clear = set()
        # cell index -> the last non-empty line of text it showed (for the running-cell lines).
        self.last_line = {}

    def register(self, msg_id, cell_index):
        self.cell_of_msg[msg_id] = cell_index
        self.notebook.cells[cell_index].outputs = []

    def handle(self, msg):
        parent_id = msg.get("parent_header", {}).get("msg_id")
        msg_type = msg["header"]["msg_type"]
        content = msg["content"]
        if msg_type == "update_display_data":
            self._update_display(content)
            return
        cell_index = self.cell_of_msg.get(parent_id)
        if cell_index is None:
            return
        self._note_last_line(cell_index, msg_type, content)
        cell = self.notebook.cells[cell_index]
        if msg_type == "clear_output":
            if content.get("wait"):
                self.pending_clear.add(cell_index)
            else:
                self._clear(cell_index)
            return
        if msg_type not in ("stream", "display_data", "execute_result", "error"):
            return
        if cell_index in self.pending_clear:
            self._clear(cell_index)
        if msg_type == "stream":
            self._append_stream(cell, content)
        elif msg_type == "display_data":
            output = nbformat.v4.new_output(
                "display_data", data=content.get("data", {}), metadata=content.get("metadata", {})
            )
            cell.outputs.append(output)
            display_id = content.get("transient", {}).get("display_id")
            if display_id:
                self.display_targets.setdefault(display_id, []).append(
                    (cell_index, len(cell.outputs) - 1)
                )
        elif msg_type == "execute_result":
            cell.outputs.append(
                nbformat.v4.new_output(
                    "execute_result",
                    data=content.get("data", {}),
                    metadata=content.get("metadata", {}),
                    execution_count=content.get("execution_count"),
                )
            )
        elif msg_type == "error":
            cell.outputs.append(
                nbformat.v4.new_output(
                    "error",
                    ename=content.get("ename", ""),
                    evalue=content.get("evalue", ""),
                    traceback=content.get("traceback", []),
                )
            )

    def _clear(self, cell_index):
        self.pending_clear.discard(cell_index)
        self.notebook.cells[cell_index].outputs = []
        for display_id, targets in list(self.display_targets.items()):
            kept = [t for t in targets if t[0] != cell_index]
            self.display_targets[display_id] = kept

    def _append_stream(self, cell, content):
        name = content.get("name", "stdout")
        text = content.get("text", "")
        last = cell.outputs[-1] if cell.outputs else None
        if last is not None and last.get("output_type") == "stream" and last.get("name") == name:
            last["text"] += text
        else:
            cell.outputs.append(nbformat.v4.new_output("stream", name=name, text=text))

    def _note_last_line(self, cell_index, msg_type, content):
        if msg_type == "stream":
            text = content.get("text", "")
        elif msg_type in ("display_data", "execute_result", "update_display_data"):
            text = content.get("data", {}).get("text/plain", "")
        else:
            return
        if isinstance(text, list):
            text = "".join(text)
        lines = [line.strip() for line in text.splitlines() if line.strip()]
        if lines:
            self.last_line[cell_index] = lines[-1]

    def _update_display(self, content):
        display_id = content.get("transient", {}).get("display_id")
        for cell_index, output_index in self.display_targets.get(display_id, []):
            self._note_last_line(cell_index, "update_display_data", content)
            output = self.notebook.cells[cell_index].outputs[output_index]
            output["data"] = content.get("data", {})
            output["metadata"] = content.get("metadata", {})


def error_text(outputs):
    for output in outputs:
        if output.get("output_type") == "error":
            summary = f"{output.get('ename', '')}: {output.get('evalue', '')}"
            return summary, "\n".join(output.get("traceback", []))
    return None


def read_message(get_message, timeout_s):
    """One message from a channel getter (client.get_iopub_msg or get_shell_msg), or None."""
    try:
        return get_message(timeout=timeout_s)
    except queue.Empty:
        return None
    except ValueError as error:
        if is_signature_error(error):
            raise SignatureFailure(str(error)) from error
        raise


def running_line(cell_index, seconds, place, last_line):
    """The line printed while a cell runs (read by lib/notebook_runner/execute_notebook.ts,
    CELL_RUNNING there): `place` is (position, count) among the cells to run."""
    line = f"cell {cell_index} running for {seconds:.0f} s ({place[0]}/{place[1]})"
    return f"{line}: {last_line}" if last_line else line


def run_cell(client, collector, cell_index, options, place=(1, 1), clock=time.monotonic):
    """Execute one cell; return once idle + shell reply are in and iopub has been quiet. Every
    `options.progress_seconds` while it runs, prints a `running_line` (`clock` is injectable for
    the checks)."""
    cell = collector.notebook.cells[cell_index]
    msg_id = client.execute(cell.source, store_history=True, allow_stdin=False, stop_on_error=True)
    collector.register(msg_id, cell_index)
    collector.last_line.pop(cell_index, None)
    quiet_s = options.quiet_ms / 1000.0
    started = clock()
    deadline = started + options.cell_timeout
    next_report = started + options.progress_seconds
    idle = False
    reply = None
    last_message_at = clock()
    while True:
        now = clock()
        if now >= next_report:
            last_line = collector.last_line.get(cell_index)
            print(running_line(cell_index, now - started, place, last_line), flush=True)
            # One line per interval, however long a message took to come.
            while next_report <= now:
                next_report += options.progress_seconds
        if now > deadline:
            raise CellFailed(
                cell_index, f"timed out after {options.cell_timeout} s", "(no traceback: timeout)"
            )
        if reply is None:
            shell_msg = read_message(client.get_shell_msg, 0.01)
            if shell_msg is not None and shell_msg["parent_header"].get("msg_id") == msg_id:
                reply = shell_msg["content"]
                cell.execution_count = reply.get("execution_count")
        if idle and reply is not None and now - last_message_at >= quiet_s:
            break
        msg = read_message(client.get_iopub_msg, 0.05)
        if msg is None:
            continue
        last_message_at = clock()
        collector.handle(msg)
        is_own = msg["parent_header"].get("msg_id") == msg_id
        if is_own and msg["header"]["msg_type"] == "status":
            if msg["content"].get("execution_state") == "idle":
                idle = True
    for output in cell.outputs:
        if output.get("output_type") == "execute_result":
            output["execution_count"] = cell.execution_count
    failure = error_text(cell.outputs)
    if reply.get("status") == "error" and failure is None:
        failure = (
            f"{reply.get('ename', 'Error')}: {reply.get('evalue', '')}",
            "\n".join(reply.get("traceback", [])),
        )
    if failure is not None:
        raise CellFailed(cell_index, failure[0], failure[1])


def execute_session(source_path, options):
    """One kernel session over the whole notebook; returns the executed notebook."""
    notebook = nbformat.read(source_path, as_version=4)
    env = dict(os.environ)
    for pair in options.env:
        key, _, value = pair.partition("=")
        env[key] = value
    manager = KernelManager(kernel_name=options.kernel)
    notebook_dir = os.path.dirname(os.path.abspath(source_path))
    client = None
    # The kernel's start is inside the `try`: a stop (SIGTERM, Ctrl-C) while it starts still shuts
    # it down (jupyter_client starts it in a session of its own, which no signal to ours reaches).
    try:
        manager.start_kernel(cwd=notebook_dir, env=env)
        client = manager.client()
        client.start_channels()
        client.wait_for_ready(timeout=options.startup_timeout)
        collector = OutputCollector(notebook)
        to_run = []
        for cell_index, cell in enumerate(notebook.cells):
            if cell.cell_type != "code":
                continue
            if cell.source.strip():
                to_run.append(cell_index)
            else:
                cell.outputs = []
                cell.execution_count = None
        for position, cell_index in enumerate(to_run, start=1):
            started = time.monotonic()
            try:
                run_cell(client, collector, cell_index, options, (position, len(to_run)))
            except CellFailed as failure:
                failure.notebook = notebook
                raise
            # Progress, read by lib/notebook_runner/execute_notebook.ts (CELL_DONE there).
            seconds = time.monotonic() - started
            print(
                f"cell {cell_index} done in {seconds:.1f} s ({position}/{len(to_run)})", flush=True
            )
        return notebook
    finally:
        if client is not None:
            client.stop_channels()
        if manager.has_kernel:
            manager.shutdown_kernel(now=True)


def write_atomically(path, write):
    """Writes `path` through `write(temporary)`, then renames: a reader never sees half a file, and
    a failed or stopped write leaves no temporary file behind."""
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    temporary = f"{path}.{os.getpid()}.tmp"
    try:
        write(temporary)
        os.replace(temporary, path)
    except BaseException:
        if os.path.exists(temporary):
            os.remove(temporary)
        raise


def write_notebook(notebook, path):
    write_atomically(path, lambda temporary: nbformat.write(notebook, temporary))


def command_execute(options):
    attempts = options.signature_attempts
    for attempt in range(1, attempts + 1):
        try:
            notebook = execute_session(options.source, options)
            write_notebook(notebook, options.output)
            return 0
        except SignatureFailure as error:
            print(
                f"{options.source}: kernel message failed its signature check "
                f"(attempt {attempt}/{attempts}): {error}",
                file=sys.stderr,
            )
            if attempt == attempts:
                return EXIT_RUNNER_ERROR
        except CellFailed as failure:
            partial = getattr(failure, "notebook", None)
            if partial is not None:
                write_notebook(partial, options.output)
            print(
                f"{options.source}: cell {failure.cell_index} raised {failure.summary}\n"
                f"{failure.traceback_text}\n"
                f"(partial outputs written to {options.output})",
                file=sys.stderr,
            )
            return EXIT_CELL_ERROR
    return EXIT_RUNNER_ERROR


# The lab template loads require.js and MathJax from a CDN; the offline page must load nothing.
OFFLINE_TEMPLATE = """{%- extends 'index.html.j2' -%}
{%- block html_head_js_requirejs -%}{%- endblock html_head_js_requirejs -%}
{%- block html_head_js_mathjax -%}{%- endblock html_head_js_mathjax -%}
{%- block jupyter_widgets -%}{%- endblock jupyter_widgets -%}
"""


def command_html(options):
    from jinja2 import DictLoader
    from nbconvert import HTMLExporter

    # --no-input: the stakeholder's page, without code cells, their prompts or the outputs' ones
    # (markdown cells and every output stay).
    exporter = HTMLExporter(
        template_name="lab",
        extra_loaders=[DictLoader({"offline_index.html.j2": OFFLINE_TEMPLATE})],
        exclude_input=options.no_input,
        exclude_input_prompt=options.no_input,
        exclude_output_prompt=options.no_input,
    )
    exporter.template_file = "offline_index.html.j2"
    notebook = nbformat.read(options.source, as_version=4)
    body, _ = exporter.from_notebook_node(notebook)

    def write(temporary):
        with open(temporary, "w", encoding="utf-8") as handle:
            handle.write(body)

    write_atomically(options.output, write)
    return 0


def parse_arguments(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    execute = commands.add_parser("execute", help="execute a notebook, writing a new file")
    execute.add_argument("source")
    execute.add_argument("output")
    execute.add_argument("--kernel", default="deno")
    execute.add_argument("--quiet-ms", type=float, default=300.0)
    execute.add_argument("--cell-timeout", type=float, default=3600.0)
    execute.add_argument(
        "--progress-seconds",
        type=float,
        default=60.0,
        help="seconds between the lines printed while a cell runs (> 0)",
    )
    execute.add_argument("--startup-timeout", type=float, default=120.0)
    execute.add_argument("--env", action="append", default=[], help="KEY=VALUE for the kernel")
    execute.add_argument(
        "--signature-attempts", type=int, default=6, help="sessions to try on Invalid Signature"
    )
    html = commands.add_parser("html", help="render an executed notebook to offline HTML")
    html.add_argument("source")
    html.add_argument("output")
    html.add_argument(
        "--no-input",
        action="store_true",
        help="leave out code cells, their prompts and output prompts (a page for readers)",
    )
    options = parser.parse_args(argv)
    # Zero or less would print a line on every pass (or never leave the loop that schedules them).
    progress = getattr(options, "progress_seconds", None)
    if progress is not None and not (0 < progress < float("inf")):
        parser.error(f"--progress-seconds {progress}: must be a number of seconds above 0")
    return options


def main(argv):
    options = parse_arguments(argv)
    # Before this, a signal's default (exit) is right: nothing has started yet.
    stop_on_signals()
    install_signature_diagnostics()
    try:
        if options.command == "execute":
            return command_execute(options)
        return command_html(options)
    except Stopped as stop:
        # The kernel's shutdown (execute_session's `finally`) has run by now.
        what = "; the kernel was shut down" if options.command == "execute" else ""
        print(f"{options.source}: stopped by {stop}{what}", file=sys.stderr)
        return 128 + stop.signal_number
    except Exception:  # noqa: BLE001 -- any other failure is the runner's, not a cell's
        traceback.print_exc()
        return EXIT_RUNNER_ERROR


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
