"""Always passes: a second test file so runs have several files and real progress lines."""
import io
import unittest


class IOTests(unittest.TestCase):
    def test_roundtrip(self):
        buf = io.StringIO()
        buf.write("spam")
        self.assertEqual(buf.getvalue(), "spam")
