"""Unit checks of notebook_runner.run_cell's lines while a cell runs, with a fake kernel client
and a fake clock (no waiting): run by running_line_nr52_test.ts through Debian's python3."""

import contextlib
import io
import os
import queue
import sys
import types
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "scripts"))

from nbformat.v4 import new_code_cell, new_notebook  # noqa: E402

from notebook_runner import OutputCollector, parse_arguments, run_cell  # noqa: E402


class FakeClock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now


def message(msg_type, content, parent="m0"):
    return {
        "parent_header": {"msg_id": parent},
        "header": {"msg_type": msg_type},
        "content": content,
    }


class FakeClient:
    """A kernel whose cell takes `steps` polls of iopub, each `step_s` seconds of the fake clock (or
    the seconds of each poll, a list);
    `shown` maps a poll's number to the message it delivers. Then idle, and the shell reply."""

    def __init__(self, clock, steps, step_s, shown):
        self.clock = clock
        self.steps = steps
        self.step_s = step_s
        self.shown = shown
        self.polls = 0

    def execute(self, source, **_options):
        return "m0"

    def get_shell_msg(self, timeout):
        if self.polls < self.steps:
            raise queue.Empty()
        return message("execute_reply", {"status": "ok", "execution_count": 1})

    def get_iopub_msg(self, timeout):
        self.polls += 1
        step = self.step_s
        self.clock.now += step[self.polls - 1] if isinstance(step, list) else step
        if self.polls in self.shown:
            return self.shown[self.polls]
        if self.polls == self.steps:
            return message("status", {"execution_state": "idle"})
        raise queue.Empty()


def run(steps, step_s, shown, progress_seconds=60.0):
    notebook = new_notebook(cells=[new_code_cell("x"), new_code_cell("slow()")])
    collector = OutputCollector(notebook)
    clock = FakeClock()
    client = FakeClient(clock, steps, step_s, shown)
    options = types.SimpleNamespace(
        quiet_ms=0, cell_timeout=3600.0, progress_seconds=progress_seconds
    )
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        run_cell(client, collector, 1, options, (2, 3), clock=clock)
    return printed.getvalue().splitlines()


class RunningLineTest(unittest.TestCase):
    def test_a_slow_cell_prints_a_line_each_interval_with_its_place(self):
        # 150 s of polls, 10 s each: lines at 60 and 120 s, none after the cell is idle.
        lines = run(steps=15, step_s=10.0, shown={})
        self.assertEqual(
            lines, ["cell 1 running for 60 s (2/3)", "cell 1 running for 120 s (2/3)"]
        )

    def test_a_quick_cell_prints_nothing(self):
        self.assertEqual(run(steps=5, step_s=10.0, shown={}), [])

    def test_the_line_carries_the_last_text_the_cell_showed(self):
        progress = {"text/plain": "epoch 1/20\nepoch 2/20 loss 0.51\n"}
        shown = {
            2: message("stream", {"name": "stdout", "text": "loading\n"}),
            3: message("display_data", {"data": progress, "transient": {"display_id": "p"}}),
            # An update in place (the library's progress) and another cell's stream.
            8: message(
                "update_display_data",
                {"data": {"text/plain": "epoch 7/20 loss 0.40"}, "transient": {"display_id": "p"}},
            ),
            9: message("stream", {"name": "stdout", "text": "other cell\n"}, parent="elsewhere"),
        }
        lines = run(steps=14, step_s=10.0, shown=shown)
        self.assertEqual(
            lines,
            [
                "cell 1 running for 60 s (2/3): epoch 2/20 loss 0.51",
                "cell 1 running for 120 s (2/3): epoch 7/20 loss 0.40",
            ],
        )

    def test_a_long_wait_for_one_message_gives_one_line_not_a_burst(self):
        # A first poll of 200 s, then polls of 1 s: one line at 200 s, the next due at 240 s (not
        # the ones of 60, 120 and 180 s, late, one after another).
        lines = run(steps=4, step_s=[200.0, 1.0, 1.0, 1.0], shown={})
        self.assertEqual(lines, ["cell 1 running for 200 s (2/3)"])

    def test_the_interval_is_refused_unless_above_zero(self):
        for bad in ["0", "-5", "nan", "inf"]:
            with contextlib.redirect_stderr(io.StringIO()) as err, self.assertRaises(SystemExit):
                parse_arguments(["execute", "a.ipynb", "b.ipynb", "--progress-seconds", bad])
            self.assertIn("--progress-seconds", err.getvalue())
        options = parse_arguments(["execute", "a.ipynb", "b.ipynb", "--progress-seconds", "0.5"])
        self.assertEqual(options.progress_seconds, 0.5)
        self.assertEqual(parse_arguments(["execute", "a", "b"]).progress_seconds, 60.0)


if __name__ == "__main__":
    unittest.main()
