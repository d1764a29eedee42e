"""Always passes: the body of a green test run."""
import unittest


class SampleTests(unittest.TestCase):
    def test_arithmetic(self):
        self.assertEqual(2 + 2, 4)

    def test_strings(self):
        self.assertTrue("cpython".startswith("c"))
