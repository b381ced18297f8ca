"""Check that Qt can start here (headless for tests, on screen for `make run`).

When it cannot, install the missing system libraries on Debian/Ubuntu as root, or say exactly
what to install. With ``--browser`` also make sure Debian's chromium and its driver are there
for the phone-voting browser test (that test is skipped, with the same advice, without them).
With ``--java`` also make sure a Java runtime is there for the Spark engine of event imports
(Debian's openjdk-17-jre-headless; the Spark tests are skipped, with the same advice, without it).
"""

import os
import shutil
import subprocess
import sys

PROBE = "from PySide6.QtWidgets import QApplication; QApplication([])"
HEADLESS_PACKAGES = ["libegl1", "libgl1", "libxkbcommon0", "libfontconfig1", "libdbus-1-3",
                     "libglib2.0-0"]
SCREEN_PACKAGES = ["libxcb-cursor0", "libxcb-icccm4", "libxcb-image0", "libxcb-keysyms1",
                   "libxcb-render-util0", "libxcb-xkb1", "libxkbcommon-x11-0", "libxcb-shape0",
                   "libxcb-randr0", "libxcb-xinerama0"]
BROWSER_PACKAGES = ["chromium", "chromium-driver"]
BROWSER_FILES = ["/usr/bin/chromium", "/usr/bin/chromedriver"]
JAVA_PACKAGES = ["openjdk-17-jre-headless"]


def qt_starts(platform: str | None) -> bool:
    env = dict(os.environ)
    if platform:
        env["QT_QPA_PLATFORM"] = platform
    else:
        env.pop("QT_QPA_PLATFORM", None)
    return subprocess.run([sys.executable, "-c", PROBE], env=env, capture_output=True,
                          timeout=60).returncode == 0


def apt_install(packages: list[str], message: str) -> bool:
    """Install ``packages`` with apt when running as root on Debian/Ubuntu (printing
    ``message`` first); returns whether it tried."""
    if os.geteuid() != 0 or not os.path.exists("/usr/bin/apt-get"):
        return False
    print(message)
    subprocess.run(["apt-get", "update", "-qq"], check=False)
    subprocess.run(["apt-get", "install", "-y", "-qq", *packages], check=False)
    return True


def ensure(platform: str | None, packages: list[str]) -> bool:
    if qt_starts(platform):
        return True
    message = "Qt cannot start; installing its system libraries: " + " ".join(packages)
    if apt_install(packages, message) and qt_starts(platform):
        return True
    print("Qt (PySide6) cannot start on this machine. On Debian/Ubuntu install:\n"
          "  sudo apt-get install " + " ".join(packages), file=sys.stderr)
    return False


def browser_ready() -> bool:
    return all(os.path.exists(path) for path in BROWSER_FILES)


def ensure_browser() -> None:
    """Install chromium and chromium-driver as root with apt; otherwise say how (never fails)."""
    if browser_ready():
        return
    apt_install(BROWSER_PACKAGES,
                "Installing chromium and chromium-driver for the phone-voting browser test")
    if not browser_ready():
        print("The phone-voting browser test will be skipped: it needs Debian's chromium and "
              "chromium-driver. Install them with:\n  sudo apt-get install "
              + " ".join(BROWSER_PACKAGES), file=sys.stderr)


def java_ready() -> bool:
    home = os.environ.get("JAVA_HOME")
    java = os.path.join(home, "bin", "java") if home else shutil.which("java")
    return bool(java and os.path.exists(java))


def ensure_java() -> None:
    """Install a Java 17 runtime as root with apt; otherwise say how (never fails)."""
    if java_ready():
        return
    apt_install(JAVA_PACKAGES,
                "Installing a Java runtime (openjdk-17-jre-headless) for the Spark engine tests")
    if not java_ready():
        print("The Spark engine tests will be skipped: they need a Java 17 runtime. Install "
              "one with:\n  sudo apt-get install " + " ".join(JAVA_PACKAGES), file=sys.stderr)


def main() -> int:
    if "--browser" in sys.argv:
        ensure_browser()
    if "--java" in sys.argv:
        ensure_java()
    ok = ensure("offscreen", HEADLESS_PACKAGES)
    on_screen = "--screen" in sys.argv and (os.environ.get("DISPLAY")
                                            or os.environ.get("WAYLAND_DISPLAY"))
    if ok and on_screen and sys.platform.startswith("linux"):
        ok = ensure(None, HEADLESS_PACKAGES + SCREEN_PACKAGES)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
