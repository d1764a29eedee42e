"""Fails as a full disk makes tests fail: OSError ENOSPC."""
import errno, os, unittest
class T(unittest.TestCase):
    def test_write(self): raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), "/tmp/bigfile")
