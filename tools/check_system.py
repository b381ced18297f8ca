"""Check that Qt can start headless here; explain what to install when it cannot."""

import os
import subprocess
import sys

PROBE = "from PySide6.QtWidgets import QApplication; QApplication([])"
DEBIAN_PACKAGES = ["libegl1", "libgl1", "libxkbcommon0", "libfontconfig1", "libdbus-1-3", "libglib2.0-0"]


def qt_starts() -> bool:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    return subprocess.run([sys.executable, "-c", PROBE], env=env, capture_output=True).returncode == 0


def main() -> int:
    if qt_starts():
        return 0
    if os.geteuid() == 0 and os.path.exists("/usr/bin/apt-get"):
        print("Qt cannot start; installing its system libraries:", " ".join(DEBIAN_PACKAGES))
        subprocess.run(["apt-get", "update", "-qq"], check=False)
        subprocess.run(["apt-get", "install", "-y", "-qq", *DEBIAN_PACKAGES], check=False)
        if qt_starts():
            return 0
    print(
        "Qt (PySide6) cannot start on this machine. Install the OpenGL/EGL, xkbcommon, fontconfig "
        "and D-Bus libraries, e.g. on Debian/Ubuntu: sudo apt-get install " + " ".join(DEBIAN_PACKAGES),
        file=sys.stderr,
    )
    return 1


if __name__ == "__main__":
    sys.exit(main())
