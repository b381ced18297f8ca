"""The PySide6 desktop layer: a thin shell over :mod:`workbench.core`."""
