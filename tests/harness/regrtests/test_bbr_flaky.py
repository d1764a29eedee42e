"""Fails on its first run in a build directory, passes on regrtest's re-run: a flaky test."""
import os
import unittest

# Next to the test file: regrtest runs each worker in its own temporary cwd.
MARKER = os.path.join(os.path.dirname(os.path.abspath(__file__)), ".bbr_flaky_ran")


class FlakyTests(unittest.TestCase):
    def test_race(self):
        if not os.path.exists(MARKER):
            with open(MARKER, "w"):
                pass
            self.fail("flaky: lost the race on the first run")
