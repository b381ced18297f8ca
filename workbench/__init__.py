"""Organisation Design Workbench."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("workbench")
except PackageNotFoundError:  # running from a source tree without installation
    __version__ = "0.0.0+source"

APP_NAME = "Organisation Design Workbench"
ORG_NAME = "OrgDesignWorkbench"
