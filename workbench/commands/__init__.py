"""The headless `workbench` subcommands, one module each, imported only when run."""
