"""Questionnaire engine: templates (YAML and XLSForm workbooks), scoring, charts, and the
response workbooks leaders fill in offline."""

from workbench.core.questionnaire.loader import (
    TemplateError,
    builtin_templates,
    check_template,
    format_problems,
    load_template,
)
from workbench.core.questionnaire.schema import Question, Section, Template

__all__ = [
    "Question",
    "Section",
    "Template",
    "TemplateError",
    "builtin_templates",
    "check_template",
    "format_problems",
    "load_template",
]
