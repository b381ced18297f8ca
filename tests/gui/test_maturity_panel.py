"""The Maturity panel on the demo: the stage sentence, the charts, gaps and disagreements."""

from __future__ import annotations

from workbench.core.questionnaire import rounds as R
from workbench.core.questionnaire import scoring
from workbench.core.questionnaire.schema import STEPS


def open_panel(window, demo_copy, qtbot):
    assert window.open_path(demo_copy)
    window.sidebar.setCurrentRow(2)
    panel = window.panel(2)
    qtbot.waitUntil(lambda: panel.view_data is not None, timeout=15_000)
    return panel


def ladder_round(project) -> int:
    [round_id] = [r.id for r in project.assessments.rounds()
                  if R.is_maturity_template(R.round_template(project, r.id))]
    return round_id


def test_demo_shows_stage_sentence_and_charts(window, demo_copy, qtbot, tmp_path):
    from workbench.core.method.target import target_step
    from workbench.core.report.method_notes import stage_rule

    panel = open_panel(window, demo_copy, qtbot)
    project = window.session.project
    round_id = ladder_round(project)
    template = R.round_template(project, round_id)
    answers = project.assessments.answers(round_id)
    stage = scoring.stage_reached(template, answers).stage
    target = target_step(project).step  # the engagement's: the one truth
    assert target == project.engagement.get().target_step
    assert panel.chooser.count() == 1 and panel.chooser.currentData() == round_id

    assert f"at step {stage} ({STEPS[stage]})" in panel.headline.text()
    assert f"The engagement aims at step {target} ({STEPS[target]})" in panel.headline.text()
    # the rule as the workbook's Method sheet states it, with this template's bar
    assert panel.rule.text() == stage_rule(template.scoring.bar)
    assert "not skipped" in panel.rule.text() and "every lower step" in panel.rule.text()
    assert panel.rule.isVisibleTo(panel)
    titles = {name: tab.view.figure.axes[0].get_title()
              for name, tab in panel.charts.items() if tab.view.figure is not None}
    assert titles["ladder"] == f"Stage reached: {stage} of 5 — target {target}"
    assert titles["heatmap"].startswith("Weakest cell: step ")
    assert titles["radar"].startswith(f"Step {target}: weakest foundation is ")
    assert titles["spread"].endswith("questions have answers 2+ levels apart")
    assert "comparison" not in titles  # one maturity round only
    assert not panel.tabs.isTabEnabled(panel.tabs.indexOf(panel.charts["comparison"]))

    gaps = scoring.gaps(template, answers, target)
    assert panel.gaps_table.model.rowCount() == len(gaps)
    assert panel.gaps_table.model.records[0]["mean"] == gaps[0].mean
    assert [r["step"] for r in panel.gaps_table.model.records] == [g.step for g in gaps]

    target_png = tmp_path / "ladder.svg"
    from workbench.gui.figure_view import save_figure

    save_figure(panel.charts["ladder"].view.figure, target_png)
    assert target_png.read_text().lstrip().startswith("<?xml")


def test_disagreements_link_to_the_answers_behind_them(window, demo_copy, qtbot):
    panel = open_panel(window, demo_copy, qtbot)
    project = window.session.project
    round_id = ladder_round(project)
    template = R.round_template(project, round_id)
    answers = project.assessments.answers(round_id)
    expected = scoring.disagreements(template, answers)  # the default rule: 2 levels, 2 a side
    assert "2 leaders on each side" in panel.disagreements_table.hint.text()
    table = panel.disagreements_table
    assert table.model.rowCount() == len(expected) > 0
    table.view.selectRow(0)
    shown_qid = table.model.records[table.proxy.mapToSource(table.view.currentIndex()).row()][
        "question_id"]
    values = sorted(a[shown_qid] for a in answers.values() if a.get(shown_qid) is not None)
    assert [r["value"] for r in panel.behind_table.model.records] == values
    question = template.question(shown_qid)
    assert panel.behind_table.model.records[0]["meaning"] == question.anchors[values[0]]


def test_group_figures_respect_the_minimum_group_size(window, demo_copy, qtbot):
    panel = open_panel(window, demo_copy, qtbot)
    project = window.session.project
    size = project.engagement.get().min_group_size
    departments = {r.department for r in project.assessments.respondents(ladder_round(project))}
    assert panel.groups_table.model.rowCount() == 0  # one leader per department in the demo
    assert f"at least {size} respondents" in panel.groups_table.hint.text()
    assert all(d in panel.groups_table.hint.text() for d in departments)
    # with every group hidden the page shows the note, not an empty grid
    assert not panel.groups_table.view.isVisibleTo(panel.groups_table)
    assert panel.groups_table.hint.isVisibleTo(panel.groups_table)


def test_second_round_enables_the_comparison(window, demo_copy, qtbot):
    from workbench.core.project import Project

    with Project.open(demo_copy) as project:
        first = ladder_round(project)
        second = R.start_round(project, R.round_template(project, first), "After 100 days")
        previous = project.assessments.answers(first)
        for code, given in list(previous.items())[:5]:
            rid = project.assessments.add_respondent(second, code)
            project.assessments.set_answers(rid, {**given, "s1_working_climate": 4})
        changes = R.compare_rounds(project, first, second)
    panel = open_panel(window, demo_copy, qtbot)
    assert panel.chooser.count() == 2 and panel.chooser.currentData() == second
    up = sum(1 for c in changes if (c.delta or 0) > 0)
    title = panel.charts["comparison"].view.figure.axes[0].get_title()
    assert title.startswith(f"{up} improved, ")
    assert panel.tabs.isTabEnabled(panel.tabs.indexOf(panel.charts["comparison"]))
    assert "After 100 days" in panel.charts["comparison"].hint.text()


def test_ladder_caption_names_the_colour_the_chart_draws(window, demo_copy, qtbot):
    from matplotlib.colors import to_rgba

    from workbench.core.questionnaire.charts import COLOUR_NAMES, TARGET_OUTLINE

    panel = open_panel(window, demo_copy, qtbot)
    tab = panel.charts["ladder"]
    word = COLOUR_NAMES[TARGET_OUTLINE]
    assert f"{word} outline" in tab.hint.text() and "red outline" not in tab.hint.text().replace(
        f"{word} outline", "")
    ax = tab.view.figure.axes[0]
    outlined = [p for p in ax.patches if p.get_linewidth() == 4]
    assert [p.get_edgecolor() for p in outlined] == [to_rgba(TARGET_OUTLINE)]
    assert any(word in t.get_text() for t in ax.get_legend().get_texts())


def test_headline_states_the_stage_rule_steps_above_and_the_leaders_choice(window, demo_copy,
                                                                           qtbot):
    """A lower step below the bar holds the stage; the step above it is shown, not counted;
    the engagement's target is used and the leaders' other choice is shown beside it."""
    from workbench.core.project import Project

    with Project.open(demo_copy) as project:
        first = ladder_round(project)
        template = R.round_template(project, first)
        second = R.start_round(project, template, "Rated again")
        level = {1: 3, 2: 2, 3: 1, 4: 4, 5: 0}
        for code in ("A", "B", "C"):
            rid = project.assessments.add_respondent(second, code)
            given = {q.id: level[q.group.step] for q in template.questions() if q.group}
            project.assessments.set_answers(rid, {**given, "target_step": "5"})
        project.engagement.update(target_step=4)
    panel = open_panel(window, demo_copy, qtbot)
    assert panel.chooser.currentData() == second
    text = panel.headline.text()
    assert "at step 1 (Internal social networks)" in text
    assert ("Step 4 meets the bar on its own, but step 2 below it does not, so the "
            "organisation stands at step 1.") in text
    assert "The engagement aims at step 4 (Matrix reporting organisation)" in text
    assert "14 micro-foundations below the bar in steps 2 to 4" in text
    assert ("Most leaders chose step 5; the engagement aims at step 4 — change it in "
            "Engagement.") in text
    records = panel.gaps_table.model.records
    # every step from the first unmet one to the target, in order; step 4 (rated 4) has none
    assert [r["step"] for r in records] == [2] * 7 + [3] * 7
    title = panel.charts["ladder"].view.figure.axes[0].get_title()
    assert title == "Stage reached: 1 of 5 — target 4"
    # the headline wraps inside the window at 1280x800 rather than clipping
    window.resize(1280, 800)
    qtbot.wait(50)
    assert panel.headline.wordWrap() and panel.headline.width() <= 1280
    assert panel.headline.heightForWidth(panel.headline.width()) <= 6 * \
        panel.headline.fontMetrics().lineSpacing()
