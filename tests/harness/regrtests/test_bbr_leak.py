"""Leaks a reference on every run: what regrtest -R (refleak hunting, debug builds) reports."""
import unittest

_KEPT = []


class LeakTests(unittest.TestCase):
    def test_keeps_a_reference(self):
        _KEPT.append(object())
