"""Always fails: the failure a pull request brings of its own (the push fleet's letter Q)."""
import unittest


class RegressTests(unittest.TestCase):
    def test_new_behaviour(self):
        self.assertEqual("abc".upper(), "ABc", "regression: the PR changed str.upper")
