"""Customer evidence as the third side of say vs show on the Plan page, and the insight figures
in the step gate's before-and-after table."""

from __future__ import annotations

import os

from test_say_vs_show import _labels, _say_vs_show, _step_row

from workbench.gui.method_dialogs import NOT_MEASURED, snapshot_rows


def test_customers_show_beside_the_verdict(window, qtbot, demo_copy):
    panel = _say_vs_show(window, qtbot, demo_copy)
    labels = _labels(panel)
    headers = [panel.evidence_grid.itemAtPosition(1, c).widget().text() for c in range(5)]
    assert headers == ["Step", "Leaders say", "Network shows", "Verdict", "Customers show"]
    step1 = labels[_step_row(panel, 1), 4]
    # every segment of the demo misses its complaints target, while leaders rate the related
    # items 3.0 (3.7, 3.0 and 2.3): at the bar, so the leaders overrate
    assert step1.isVisible()
    assert ("Complaints unresolved after 30 days: Households 18 % (target 10 %), Large "
            "business 27 % (target 10 %), Public sector 12 % (target 10 %), Small business "
            "41 % (target 15 %): leaders overrate in 4 of 4 segments.") in \
        step1.text().split("\n")
    assert labels[_step_row(panel, 4), 4].text() == "No customer measure tests this step."
    if os.environ.get("WORKBENCH_SCREENSHOTS"):
        window.grab().save(os.path.join(os.environ["WORKBENCH_SCREENSHOTS"], "say_show.png"))


def test_gate_rows_show_the_insight_figures():
    snapshot = {"step": 1, "insights": {
        "before": None,
        "after": {"insights": 121, "median_days": 12.5, "share_acted": 0.413,
                  "share_loop_closed": 0.543}}}
    rows = {caption: (before, after) for caption, before, after in snapshot_rows(snapshot)}
    assert rows["Insights logged"] == (NOT_MEASURED, "121")
    assert rows["Median days from insight to action"] == (NOT_MEASURED, "12.5")
    assert rows["Insights acted on"] == (NOT_MEASURED, "41%")
    assert rows["Customers told what changed (of those acted on)"] == (NOT_MEASURED, "54%")
    older = {caption: after for caption, _b, after in snapshot_rows({"step": 1})}
    assert older["Insights logged"] == NOT_MEASURED  # a gate recorded before the lab existed
