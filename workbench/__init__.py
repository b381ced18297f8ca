"""Organisation Design Workbench."""

__version__ = "0.1.0"
APP_NAME = "Organisation Design Workbench"
ORG_NAME = "OrgDesignWorkbench"
