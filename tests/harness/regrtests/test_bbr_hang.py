"""Never finishes: keeps its build running for as long as the harness is up."""
import time
import unittest


class HangTests(unittest.TestCase):
    def test_wait_forever(self):
        while True:
            time.sleep(60)
