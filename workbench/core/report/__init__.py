"""Plan workbook and PDF summary: report data, writers and the plan re-import (Qt-free)."""
