"""Crashes its worker with a segmentation fault (Fatal Python error)."""
import faulthandler, unittest
class T(unittest.TestCase):
    def test_segv(self): faulthandler._sigsegv()
