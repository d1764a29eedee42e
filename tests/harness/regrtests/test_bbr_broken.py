"""Always fails: a persistent test failure."""
import unittest


class BrokenTests(unittest.TestCase):
    def test_regression(self):
        self.assertEqual(sum([0.1] * 10), 1.0, "regression: float sum drifted")
