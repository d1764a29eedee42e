"""Always passes: one more file, so the devguide-shape run has several workers busy."""
import textwrap
import unittest


class TextTests(unittest.TestCase):
    def test_wrap(self):
        self.assertEqual(textwrap.wrap("spam eggs ham", 9), ["spam eggs", "ham"])

    def test_dedent(self):
        self.assertEqual(textwrap.dedent("  a\n  b"), "a\nb")
