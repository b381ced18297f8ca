"""Qt-free core: everything a script or a test can use headless."""
