"""Unit checks of notebook_runner.OutputCollector with hand-made iopub messages (run by
output_collector_test.ts through Debian's python3)."""

import os
import sys
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "scripts"))

import nbformat  # noqa: E402
from nbformat.v4 import new_code_cell, new_notebook  # noqa: E402

from notebook_runner import OutputCollector, is_signature_error  # noqa: E402


def message(parent, msg_type, content):
    return {"parent_header": {"msg_id": parent}, "header": {"msg_type": msg_type}, "content": content}


class OutputCollectorTest(unittest.TestCase):
    def setUp(self):
        self.notebook = new_notebook(cells=[new_code_cell("a"), new_code_cell("b")])
        self.collector = OutputCollector(self.notebook)
        self.collector.register("m0", 0)
        self.collector.register("m1", 1)

    def outputs(self, cell):
        return [dict(output) for output in self.notebook.cells[cell].outputs]

    def test_streams_merge_per_name_and_late_messages_reach_their_cell(self):
        self.collector.handle(message("m0", "stream", {"name": "stdout", "text": "a\n"}))
        self.collector.handle(message("m0", "stream", {"name": "stdout", "text": "b\n"}))
        self.collector.handle(message("m0", "stream", {"name": "stderr", "text": "e\n"}))
        # Arrives after cell 1 started: still cell 0's.
        self.collector.handle(message("m1", "stream", {"name": "stdout", "text": "other\n"}))
        self.collector.handle(message("m0", "stream", {"name": "stdout", "text": "late\n"}))
        self.assertEqual(
            [(o["name"], o["text"]) for o in self.outputs(0)],
            [("stdout", "a\nb\n"), ("stderr", "e\n"), ("stdout", "late\n")],
        )
        self.assertEqual([o["text"] for o in self.outputs(1)], ["other\n"])

    def test_update_display_data_replaces_the_output_in_any_cell(self):
        self.collector.handle(message("m0", "display_data", {
            "data": {"text/plain": "step 0"}, "metadata": {}, "transient": {"display_id": "p"},
        }))
        self.collector.handle(message("m1", "update_display_data", {
            "data": {"text/plain": "step 9"}, "metadata": {}, "transient": {"display_id": "p"},
        }))
        self.assertEqual(self.outputs(0)[0]["data"], {"text/plain": "step 9"})
        self.assertEqual(self.outputs(1), [])

    def test_clear_output_wait_clears_on_next_output(self):
        self.collector.handle(message("m0", "stream", {"name": "stdout", "text": "old\n"}))
        self.collector.handle(message("m0", "clear_output", {"wait": True}))
        self.assertEqual(len(self.outputs(0)), 1)
        self.collector.handle(message("m0", "stream", {"name": "stdout", "text": "new\n"}))
        self.assertEqual([o["text"] for o in self.outputs(0)], ["new\n"])

    def test_unrelated_parents_and_status_messages_are_ignored(self):
        self.collector.handle(message("elsewhere", "stream", {"name": "stdout", "text": "x"}))
        self.collector.handle(message("m0", "status", {"execution_state": "idle"}))
        self.assertEqual(self.outputs(0), [])

    def test_error_output_keeps_name_value_and_traceback(self):
        self.collector.handle(message("m1", "error", {
            "ename": "Error", "evalue": "boom", "traceback": ["line 1", "line 2"],
        }))
        self.assertEqual(self.outputs(1)[0]["traceback"], ["line 1", "line 2"])
        nbformat.validate(self.notebook)

    def test_signature_errors_are_recognised(self):
        self.assertTrue(is_signature_error(ValueError("Invalid Signature: b'00'")))
        self.assertFalse(is_signature_error(ValueError("Duplicate Signature")))


if __name__ == "__main__":
    unittest.main()
