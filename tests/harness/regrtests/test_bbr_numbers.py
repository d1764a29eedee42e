"""Always passes: one more file, so the devguide-shape run has several workers busy."""
import fractions
import unittest


class NumberTests(unittest.TestCase):
    def test_fraction(self):
        self.assertEqual(fractions.Fraction(1, 3) * 3, 1)

    def test_int_round_trip(self):
        self.assertEqual(int(str(2 ** 100)), 2 ** 100)
