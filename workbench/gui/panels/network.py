"""People & Network: analyse a network, read what it shows, explore the map and compare networks."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from html import escape

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSizePolicy,
    QSlider,
    QSpinBox,
    QSplitter,
    QTabWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from workbench.core.analysis import (
    INFORMAL_TYPES,
    AnalysisParams,
    NetworkAnalysis,
    analyse_network,
    compare_dated,
    compare_formal,
)
from workbench.core.importing import FORMAL_NETWORK
from workbench.core.model import NetworkInfo
from workbench.core.network import glossary
from workbench.core.network.explain import (
    agreement_text,
    crossing_text,
    figure_text,
    label,
    sentence,
    value_text,
)
from workbench.core.network.findings import FORMAL_NOTE, FORMAL_RELATIONS, Findings, Thresholds
from workbench.core.network.headline import headline
from workbench.core.network.metrics import EXACT_LIMIT, exact_cost
from workbench.core.report.assemble import story_network
from workbench.core.report.network_story import ANALYST, ROOM, PeopleWords, people_words
from workbench.core.wording import count, count_of
from workbench.gui.findings_list import GROUP, HEADLINE, FindingsList, Row, rows_of
from workbench.gui.formatting import short_date
from workbench.gui.network_map import COLOUR_MODES, NetworkMap
from workbench.gui.panels.base import Panel
from workbench.gui.person_table import METRICS, PersonTable, person_records, role_name
from workbench.gui.presentation_map import PresentationWindow, Stop
from workbench.gui.release import release_later
from workbench.gui.style import SPACING
from workbench.gui.widgets import EmptyState, FigureCard
from workbench.gui.widgets import label as text_label
from workbench.gui.workers import Task

CARDS = (  # figure (a key of MetricsResult.network; ei_index: the findings' crossing
    # shares), the glossary terms its tooltip defines, its share of the row's width (so that
    # every caption fits on two lines at 1280 pixels)
    ("people", ("people",), 85),
    ("ties", ("ties",), 105),
    ("density", ("density",), 140),
    ("reciprocity", ("reciprocity",), 125),
    ("components", ("components", "largest_component"), 165),
    ("modularity", ("communities", "modularity"), 140),
    ("ei_index", ("ei_index", "random_mixing"), 250),
)
DETAILS_HINT = "Click a dot or a row for details; double-click for more."
NUMBER = re.compile(r"^(1 in [\d,]+|[\d.,]+%|[\d.,]+|\S+) (.+)$")
ASIDE = re.compile(r"\s*\(([^()]*)\)$")
FORMAL_TITLE = "Formal structure (reporting lines)"
NOT_KEY = ("peripheral",)  # findings whose people are not the ones a map should name
ROOM_NOTE = ("Names are shown on your screen only; the projector and exports follow the privacy "
             "setting: they describe each person by department (\"a person in Operations\"), "
             "since individual labels are not shown beside real names. File › Privacy… "
             "changes this.")
KEY_PEOPLE = "Key people"
KEY_NAMED = "Named first: the people of the headline, then those of the other findings."
KEY_UNNAMED = ("The people of the headline first, then those of the other findings, shown "
               "by department.")
RULE_DELAY_MS = 600  # a changed rule re-runs the findings once the user stops changing it


def is_formal(info: NetworkInfo) -> bool:
    """Whether a network is the formal structure (reporting lines), not an informal one."""
    return info.type in FORMAL_RELATIONS


def network_title(info: NetworkInfo) -> str:
    """How the chooser, the presentation and map exports name a network (with its date)."""
    if is_formal(info):
        name = FORMAL_TITLE if info.name == FORMAL_NETWORK else f"{FORMAL_TITLE}: {info.name}"
    else:
        name = info.name
    return name + (f" ({short_date(info.date)})" if info.date else "")


def dated_pair(networks: list[NetworkInfo], prefer: str | None = None
               ) -> tuple[NetworkInfo, NetworkInfo] | None:
    """The earliest and latest network of one relation at two different dates: the relation
    ``prefer`` when it has two, else the relation dated most recently. None when no relation
    was collected twice."""
    by_type: dict[str, list[NetworkInfo]] = {}
    for n in sorted((n for n in networks if n.date), key=lambda n: (n.date, n.id)):
        by_type.setdefault(n.type, []).append(n)
    pairs = {t: (ns[0], ns[-1]) for t, ns in by_type.items() if ns[0].date != ns[-1].date}
    if not pairs:
        return None
    if prefer in pairs:
        return pairs[prefer]
    return max(pairs.values(), key=lambda pair: (pair[1].date, pair[1].id))


def key_people(findings: Findings) -> list[str]:
    """Who a map, a presentation or an export names first: the people of the headline in
    its order, then those the findings name in theirs (people on the edge left out)."""
    named = [p for s in headline(findings) for p in s.person_ids]
    named += [p for f in findings.findings if f.kind not in NOT_KEY for p in f.person_ids]
    return list(dict.fromkeys(named))


def card_text(text: str) -> tuple[str, str, str]:
    """A figure in words split for a card: the number, the words after it, and a closing
    aside in brackets (for the tooltip). "1 in 69 possible ties exist" -> ("1 in 69",
    "possible ties exist", "")."""
    aside = ASIDE.search(text)
    if aside is not None:
        text = text[:aside.start()]
    match = NUMBER.match(text)
    value, words = match.groups() if match else (text, "")
    return value, words.rstrip(",;"), aside.group(1) if aside else ""


class NetworkPanel(Panel):
    title = "People & Network"
    watches = frozenset({"person", "network", "tie", "setting"})

    def build_empty_state(self) -> EmptyState:
        empty = EmptyState("No people yet",
                           "Bring in the HR roster and the network survey or collaboration data "
                           "to map who works with whom for customers.", "Import people…")
        empty.activated.connect(self._import_people)
        return empty

    def _import_people(self) -> None:
        from workbench.gui.import_wizard import ImportWizard

        wizard = ImportWizard(self.context, "people", parent=self)
        wizard.setAttribute(Qt.WA_DeleteOnClose)
        wizard.show()

    # -- building -------------------------------------------------------------------------------

    def build_content(self) -> QWidget:
        self.analysis: NetworkAnalysis | None = None
        self.words: PeopleWords | None = None  # people in sentences on the analyst's screen
        self.room_words: PeopleWords | None = None  # ... and for a room (projector, exports)
        self._known_networks: set[int] | None = None  # ids on screen: new ones are imports
        self._tie_counts: dict[str, int] = {}  # network name -> ties, for the exact box
        self._caption = ""  # what the map highlights, for exports
        self._showing = 0  # results shown so far: a stage of an older one is dropped
        self.presentation: PresentationWindow | None = None
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.setContentsMargins(SPACING * 2, SPACING * 2, SPACING * 2, SPACING * 2)
        layout.setSpacing(SPACING)
        layout.addLayout(self._build_controls())
        layout.addWidget(self._build_rules())
        self.hint = text_label("", "subtitle", wrap=True)
        layout.addWidget(self.hint)
        layout.addLayout(self._build_figures())
        self.tabs = QTabWidget()
        self.tabs.addTab(self._build_map_tab(), "Map and people")
        self.tabs.addTab(self._build_compare_tab(), "Comparisons")
        layout.addWidget(self.tabs, 1)
        return page

    def _build_controls(self) -> QHBoxLayout:
        row = QHBoxLayout()
        row.setSpacing(SPACING)
        self.network_box = QComboBox(toolTip="The network to analyse.")
        self.network_box.setMinimumContentsLength(16)
        self.analyse_button = QPushButton("Analyse", toolTip="Compute the measures and findings "
                                          "(reuses the saved result when nothing changed).")
        self.analyse_button.setProperty("role", "primary")
        self.analyse_button.clicked.connect(self.analyse)
        self.network_box.activated.connect(lambda _i: self.analyse())
        self.resolution = QSlider(Qt.Horizontal, minimum=2, maximum=30, value=10)
        self.resolution.setFixedWidth(120)
        self.resolution.setToolTip(glossary.definition("resolution"))
        self.resolution_value = QLabel("1.0")
        self.resolution.valueChanged.connect(
            lambda v: self.resolution_value.setText(f"{v / 10:.1f}"))
        self.rules_button = QPushButton("Finding rules", checkable=True,
                                        toolTip="Show the rules that decide who stands out; "
                                        "a change re-runs the findings.")
        resolution = text_label(glossary.label("resolution"))
        resolution.setToolTip(glossary.definition("resolution"))
        self.exact = QCheckBox("Exact measures")  # tooltip: its cost for the chosen network
        self.exact.toggled.connect(lambda _on: self.analyse())
        for widget in (text_label("Network"), self.network_box, self.analyse_button,
                       resolution, self.resolution, self.resolution_value, self.exact,
                       self.rules_button):
            row.addWidget(widget)
        row.addStretch(1)
        return row

    def _build_rules(self) -> QWidget:
        """The adjustable rules of :class:`Thresholds` (shown by "Finding rules"); changing one
        re-runs the analysis after a pause (the measures are reused, only the findings are
        redone)."""
        defaults = Thresholds()
        spread = glossary.definition("middle_spread")
        self.stand_out = QDoubleSpinBox(minimum=0.5, maximum=10, singleStep=0.5, decimals=1,
                                        value=defaults.outlier_spreads, suffix=" spreads")
        self.stand_out.setToolTip(
            "Go-to people, brokers and customer champions: above the upper quartile plus this "
            f"many middle spreads. {spread}")
        self.far_out = QDoubleSpinBox(minimum=1, maximum=20, singleStep=0.5, decimals=1,
                                      value=defaults.far_spreads, suffix=" spreads")
        self.far_out.setToolTip(
            "Possibly overloaded: sought out by more people than the upper quartile plus this "
            f"many middle spreads (and by at least {defaults.overloaded_min_incoming}). "
            + spread)
        self.top_share = QSpinBox(minimum=1, maximum=50, value=round(defaults.top_share * 100),
                                  suffix=" %")
        self.top_share.setToolTip("Go-to people and brokers: list at most this share of "
                                  "the people, the most unusual first.")
        self.min_nominations = QSpinBox(minimum=1, maximum=50, suffix=" people",
                                        value=defaults.champion_min_nominations)
        self.min_nominations.setToolTip("Customer champion: named for customer insight by at "
                                        "least this many people from other departments (and "
                                        "far more often than most).")
        self.team_min = QSpinBox(minimum=2, maximum=50, value=defaults.team_min_size)
        self.team_max = QSpinBox(minimum=2, maximum=100, value=defaults.team_max_size)
        for box in (self.team_min, self.team_max):
            box.setToolTip("Candidate cross-functional team: a group of between these "
                           f"numbers of people, from at least {defaults.team_min_departments} "
                           "departments, one of them facing customers.")
        self.team_min.valueChanged.connect(self.team_max.setMinimum)
        self.team_max.valueChanged.connect(self.team_min.setMaximum)
        rules = QWidget()
        row = QHBoxLayout(rules)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(SPACING)
        for text, box in (("Stands out", self.stand_out), ("Overloaded", self.far_out),
                          ("List at most", self.top_share),
                          ("Champion from", self.min_nominations),
                          ("Teams of", self.team_min), ("to", self.team_max)):
            caption = text_label(text)
            caption.setToolTip(box.toolTip())
            caption.setBuddy(box)
            row.addWidget(caption)
            row.addWidget(box)
        row.addStretch(1)
        rules.setVisible(False)
        self.rules = rules
        self.rules_button.toggled.connect(rules.setVisible)
        self._rules_timer = QTimer(self, singleShot=True, interval=RULE_DELAY_MS)
        self._rules_timer.timeout.connect(self.analyse)
        for box in (self.stand_out, self.far_out, self.top_share, self.min_nominations,
                    self.team_min, self.team_max, self.resolution):
            box.valueChanged.connect(lambda _v: self._rules_timer.start())
        return rules

    def _build_figures(self) -> QHBoxLayout:
        """One card per figure of the whole network, its number in words."""
        row = QHBoxLayout()
        row.setSpacing(SPACING)
        self.cards = {}
        for key, terms, stretch in CARDS:
            card = FigureCard(glossary.label(key), _definitions(terms))
            card.layout().setContentsMargins(SPACING + 4, SPACING, SPACING + 4, SPACING)
            card.setSizePolicy(QSizePolicy.Ignored, QSizePolicy.Preferred)  # by the stretch
            self.cards[key] = card
            row.addWidget(card, stretch)
        return row

    def _build_map_tab(self) -> QWidget:
        splitter = QSplitter(Qt.Horizontal)
        self.side = QTabWidget()  # findings and the people table share the left column
        self.side.setDocumentMode(True)
        self.side.addTab(self._build_findings(), "Findings")
        self.table = PersonTable()
        self.side.addTab(self.table, "People")
        self.side.setMinimumWidth(280)
        splitter.addWidget(self.side)

        centre = QWidget()
        cv = QVBoxLayout(centre)
        cv.setContentsMargins(0, 0, 0, 0)
        cv.setSpacing(SPACING)
        cv.addLayout(self._build_map_tools())
        self.map = NetworkMap()
        cv.addWidget(self.map, 1)
        self.legend = text_label("", "hint", wrap=True)
        cv.addWidget(self.legend)
        self.details = text_label(DETAILS_HINT, "hint", wrap=True)
        self.details.setTextFormat(Qt.RichText)
        cv.addWidget(self.details)
        splitter.addWidget(centre)
        splitter.setStretchFactor(1, 1)
        splitter.setCollapsible(1, False)
        splitter.setSizes([350, 930])  # the map takes the rest of the width
        self.splitter = splitter
        # keys of the map tab only (F5 also presents on the Workshop page)
        QShortcut(QKeySequence("Ctrl+0"), splitter, activated=lambda: self.map.fit(),
                  whatsThis="Show the whole network map")
        QShortcut(QKeySequence("F5"), splitter, activated=lambda: self.present(),
                  whatsThis="Present the network map full screen")

        self.map.legend_changed.connect(self._show_legend)
        self.map.selection_changed.connect(self._map_selected)
        self.map.person_activated.connect(self._show_details)
        self.table.selection_changed.connect(self._table_selected)
        return splitter

    def _build_findings(self) -> QWidget:
        """What the network shows, the findings by kind, and how communities meet departments."""
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, SPACING, 0, 0)
        layout.setSpacing(SPACING)
        self.findings = FindingsList()
        self.findings.chosen.connect(self._finding_chosen)
        layout.addWidget(self.findings, 1)
        self.room_note = text_label(ROOM_NOTE, "hint", wrap=True)  # shown when names stay here
        self.room_note.setAccessibleName("Who sees names")
        self.room_note.setVisible(False)
        layout.addWidget(self.room_note)
        self.overlap = text_label("", "hint", wrap=True)
        self.overlap.setToolTip(glossary.definition("agreement"))
        layout.addWidget(self.overlap)
        return page

    def _build_map_tools(self) -> QVBoxLayout:
        """What the colours and sizes show, filters, search, ego steps, fit, export, present."""
        self.colour_box = QComboBox(toolTip="What the colours show.")
        self.colour_box.addItems([m.capitalize() for m in COLOUR_MODES])
        self.size_box = QComboBox(toolTip="What the dot sizes show.")
        for key in METRICS:
            self.size_box.addItem(label(key), key)
        self.department_box = QComboBox(toolTip="Show one department only.")
        self.weight_box = QDoubleSpinBox(minimum=0, maximum=1000, decimals=1, prefix="ties ≥ ")
        self.weight_box.setToolTip("Hide ties weaker than this.")
        for box in (self.colour_box, self.size_box, self.department_box):
            box.setSizeAdjustPolicy(QComboBox.AdjustToContents)
        self.department_box.setMinimumContentsLength(len("All departments"))
        self.search = QLineEdit(placeholderText="Find a person (Ctrl+F)")
        self.search.setClearButtonEnabled(True)
        self.search.setMinimumWidth(150)
        self.search.returnPressed.connect(self._search)
        QShortcut(QKeySequence.Find, self, activated=self.search.setFocus,
                  whatsThis="Find a person on the map")  # listed in Help › Keyboard shortcuts
        self.ego1 = QPushButton("+1 step", toolTip="Highlight everyone tied to the selection "
                                "and zoom on them; again to widen.")
        self.ego2 = QPushButton("+2 steps", toolTip="Highlight everyone within two ties of the "
                                "selection and zoom on them.")
        self.fit_button = QPushButton("Fit", toolTip="Show the whole map (Ctrl+0). Zoom with "
                                      "the wheel or + and −; drag to move.")
        self.export_button = QPushButton(
            "Export…", toolTip="Save the map as a 1920×1080 slide (PNG or SVG) with a title, "
            "the date and a legend, on white.")
        self.present_button = QPushButton(
            "Present (F5)", toolTip="The map full screen for a room: large dots, the key people "
            "named, the rest faded; → and ← step through the findings, Esc leaves.")
        self.present_button.setProperty("role", "primary")
        tools, more = QHBoxLayout(), QHBoxLayout()
        for row, widgets in ((tools, (self.colour_box, self.size_box, self.department_box,
                                      self.weight_box)),
                             (more, (self.search, self.ego1, self.ego2, self.fit_button,
                                     self.export_button))):
            row.setSpacing(SPACING)
            for widget in widgets:
                row.addWidget(widget)
            row.addStretch(1)
        tools.addWidget(self.present_button)
        column = QVBoxLayout()
        column.setSpacing(SPACING)
        column.addLayout(tools)
        column.addLayout(more)

        self.colour_box.currentIndexChanged.connect(
            lambda i: self.map.set_colour_by(COLOUR_MODES[i]))
        self.size_box.currentIndexChanged.connect(
            lambda _i: self.map.set_size_by(self.size_box.currentData()))
        self.department_box.currentIndexChanged.connect(self._filter)
        self.weight_box.valueChanged.connect(self._filter)
        self.ego1.clicked.connect(lambda: self.map.ego(1))
        self.ego2.clicked.connect(lambda: self.map.ego(2))
        self.fit_button.clicked.connect(lambda: self.map.fit())
        self.export_button.clicked.connect(lambda: self.export_map())
        self.present_button.clicked.connect(lambda: self.present())
        return column

    def _build_compare_tab(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.setSpacing(SPACING)
        row = QHBoxLayout()
        row.setSpacing(SPACING)
        self.before_box, self.after_box = QComboBox(), QComboBox()
        for box in (self.before_box, self.after_box):  # names and dates readable in full
            box.setSizeAdjustPolicy(QComboBox.AdjustToContents)
            box.setMinimumContentsLength(20)
        self.compare_button = QPushButton("Compare dates")
        self.compare_button.clicked.connect(self.compare_dates)
        for box in (self.before_box, self.after_box):  # two different networks, or disabled
            box.currentIndexChanged.connect(lambda _i: self._update_compare_button())
        self.formal_button = QPushButton("Informal vs reporting lines")
        self.formal_button.setToolTip("How many advice and customer-insight ties run outside "
                                      "the reporting lines, and which teams keep to themselves.")
        self.formal_button.clicked.connect(self.compare_formal)
        for widget in (text_label("Earlier"), self.before_box, text_label("Later"),
                       self.after_box, self.compare_button, self.formal_button):
            row.addWidget(widget)
        row.addStretch(1)
        layout.addLayout(row)
        self.comparison = QTextBrowser()
        self.comparison.setAccessibleName("Comparison")
        self.comparison.setPlaceholderText(
            "Choose an earlier and a later network and press Compare dates, or compare the "
            "informal networks with the reporting lines.")
        layout.addWidget(self.comparison, 1)
        return page

    # -- refreshing ------------------------------------------------------------------------------

    def has_content(self) -> bool:
        return self.session is not None and self.session.project.people.count() > 0

    def refresh(self) -> None:
        project = self.session.project
        networks = project.networks.list()
        chosen = self._network_to_show(networks)
        self._fill_chooser(networks, chosen)
        self._fill_comparisons(networks, chosen)
        if not networks:
            self.hint.setText(f"{count(project.people.count(), 'person', 'people')} in the "
                              "roster and no network yet: import ties or a network survey to "
                              "analyse.")
            self._show(None)
            self.comparison.clear()  # the networks it compared are gone
            return
        self.hint.setText(f"{count(project.people.count(), 'person', 'people')}; "
                          f"{count(len(networks), 'network')}.")
        self.analyse()

    def _network_to_show(self, networks: list[NetworkInfo]) -> NetworkInfo | None:
        """The newest informal network an import just added, else the one on screen, else
        the one the workbook's story reads (the latest advice network, else collaboration,
        else another informal one; the reporting lines only when there is nothing else)."""
        known, self._known_networks = self._known_networks, {n.id for n in networks}
        if known is not None:
            added = [n for n in networks if n.id not in known and not is_formal(n)]
            if added:
                return max(added, key=lambda n: n.id)
        current = self.network_box.currentData()
        return next((n for n in networks if n.name == current), None) or \
            story_network(networks) or (networks[0] if networks else None)

    def _fill_chooser(self, networks: list[NetworkInfo], chosen: NetworkInfo | None) -> None:
        """Informal networks first; the reporting lines apart, below a separator."""
        box = self.network_box
        box.blockSignals(True)
        box.clear()
        informal = [n for n in networks if not is_formal(n)]
        formal = [n for n in networks if is_formal(n)]
        for n in informal:
            box.addItem(network_title(n), n.name)
        if informal and formal:
            box.insertSeparator(box.count())
        for n in formal:
            box.addItem(network_title(n), n.name)
            box.setItemData(box.count() - 1, FORMAL_NOTE, Qt.ToolTipRole)
        if chosen is not None:
            box.setCurrentIndex(box.findData(chosen.name))
        box.blockSignals(False)
        self._tie_counts = {n.name: n.tie_count for n in networks}

    def _describe_exact(self, people: int, ties: int) -> None:
        """The "Exact measures" box says what it costs; it only matters above the limit."""
        self.exact.setEnabled(people > EXACT_LIMIT)
        self.exact.setToolTip(exact_cost(people, ties))

    def _fill_comparisons(self, networks: list[NetworkInfo], chosen: NetworkInfo | None
                          ) -> None:
        """Earlier and later default to one relation at two dates (:func:`dated_pair`); with
        no such pair nothing is preselected and informal vs formal is the suggested one."""
        pair = dated_pair(networks, chosen.type if chosen is not None else None)
        for box, default in ((self.before_box, pair[0] if pair else None),
                             (self.after_box, pair[1] if pair else None)):
            box.blockSignals(True)
            box.clear()
            box.addItem("Choose a network…", None)
            for n in networks:
                box.addItem(network_title(n), n.name)
            box.setCurrentIndex(box.findData(default.name) if default is not None else 0)
            box.blockSignals(False)
        self._update_compare_button()
        informal = any(n.type in INFORMAL_TYPES for n in networks)
        self.formal_button.setEnabled(informal)
        self.formal_button.setToolTip(
            "How many advice and customer-insight ties run outside the reporting lines, and "
            "which teams keep to themselves." if informal else
            "Needs an advice or customer-insight network: give that relation when importing "
            "ties, or import the network survey.")
        _set_primary(self.compare_button, pair is not None)
        _set_primary(self.formal_button, pair is None and informal)
        if pair is not None:
            text = (f"Press Compare dates to see what changed in {pair[0].type.replace('_', ' ')}"
                    f" ties from {short_date(pair[0].date)} to {short_date(pair[1].date)}, or "
                    "set the informal networks against the reporting lines.")
        elif informal:
            text = ("No relation was collected at two dates yet, so the comparison to make is "
                    "the informal networks against the reporting lines: press Informal vs "
                    "reporting lines. Once the survey is repeated, compare the two dates.")
        else:
            text = ("Comparisons need the same network at a second date (for example the "
                    "survey after 100 days), or an advice or customer-insight network to set "
                    "against the reporting lines.")
        self.comparison.setPlaceholderText(text)

    # -- analysis --------------------------------------------------------------------------------

    def params(self) -> AnalysisParams:
        thresholds = Thresholds(
            top_share=self.top_share.value() / 100,
            outlier_spreads=self.stand_out.value(),
            far_spreads=self.far_out.value(),
            champion_min_nominations=self.min_nominations.value(),
            team_min_size=self.team_min.value(),
            team_max_size=self.team_max.value(),
            min_group_size=self.session.project.engagement.get().min_group_size,
        )
        return AnalysisParams(resolution=self.resolution.value() / 10, thresholds=thresholds,
                              exact=self.exact.isChecked())

    def analyse(self) -> Task | None:
        """Analyse the chosen network in a task (superseding one still running)."""
        self._rules_timer.stop()  # a changed rule waiting to re-run is served by this run
        name = self.network_box.currentData()
        if name is None:
            return None
        project, params = self.session.project, self.params()
        self._describe_exact(project.people.count(), self._tie_counts.get(name, 0))

        def work(progress) -> tuple[NetworkAnalysis, PeopleWords, PeopleWords, list[dict],
                                    list[Row], list[str], list[str]]:
            analysis = analyse_network(project, name, params, progress)
            words, found = people_words(project, ANALYST), analysis.findings
            departments = sorted({str(d or "(not set)") for _, d in
                                  analysis.graph.nodes(data="department")})
            return (analysis, words, people_words(project, ROOM, analysis.graph),
                    person_records(analysis), rows_of(headline(found), found, words),
                    key_people(found), departments)

        return self.run_task("analyse", f"Analysing {name}", work,
                             lambda result: self._show(*result))

    def set_session(self, session) -> None:
        # nothing of the previous project stays on screen (a new page has nothing yet)
        if self.session is not None and session is not self.session:
            self.clear()  # (a result still on its way is dropped: see Panel.set_session)
        super().set_session(session)

    def clear(self) -> None:
        """Empty every widget that shows an analysis or a comparison."""
        self._show(None)
        self._known_networks = None
        self.hint.clear()
        self.search.clear()
        self.comparison.clear()
        for box in (self.network_box, self.before_box, self.after_box):
            box.clear()
        self.exact.blockSignals(True)  # another project starts with sampled measures
        self.exact.setChecked(False)
        self.exact.blockSignals(False)
        if self.presentation is not None:
            self.presentation.close()

    def _show(self, analysis: NetworkAnalysis | None, words: PeopleWords | None = None,
              room_words: PeopleWords | None = None, records: list[dict] | None = None,
              rows: list[Row] | None = None, key: Sequence[str] = (),
              departments: Sequence[str] = ()) -> None:
        """Show ``analysis`` (None: empty every widget); ``words`` tell its people on this
        screen, ``room_words`` on the projector and in exports; ``records`` are the people
        table's rows, ``rows`` the findings column's, ``key`` the people the map names first
        (:func:`key_people`) and ``departments`` the filter's (all made by the worker: the
        headline alone took 80 ms for 10,000 people). A result is shown over four turns of
        the event loop (the map; the people; the findings; the rest), each short enough for
        the window to stay responsive; ``self.analysis`` is set by the last. The analysis
        it replaces is freed a slice at a time."""
        previous = self.analysis
        self.analysis = self.words = self.room_words = None
        self._showing += 1
        self._show_map(analysis, room_words)
        release_later(previous)
        del previous
        found = analysis.findings if analysis is not None else None
        stages = [lambda: self.table.set_analysis(analysis, records),
                  lambda: self._show_findings(found, rows or [], key),
                  lambda: self._show_rest(analysis, words, room_words, departments)]
        if analysis is None:
            for stage in stages:
                stage()
        else:
            self._next_stage(self._showing, stages)

    def _next_stage(self, showing: int, stages: list[Callable[[], None]]) -> None:
        if showing != self._showing:
            return  # a newer result (or a clear) came in the meantime
        QTimer.singleShot(0, self, lambda: self._run_stage(showing, stages))

    def _run_stage(self, showing: int, stages: list[Callable[[], None]]) -> None:
        if showing == self._showing:
            stages[0]()
            if len(stages) > 1:
                self._next_stage(showing, stages[1:])

    def _show_map(self, analysis: NetworkAnalysis | None, room_words: PeopleWords | None
                  ) -> None:
        self._caption = ""
        self.map.room_names = room_words.label if room_words is not None else None
        self.room_note.setVisible(room_words is not None and not room_words.named)
        self.legend.clear()  # the map gives its legend as it draws
        self.map.set_analysis(analysis)

    def _show_findings(self, found: Findings | None, rows: list[Row], key: Sequence[str]
                       ) -> None:
        self.findings.show_findings(found, rows)
        self.map.set_key_people(key)

    def _show_rest(self, analysis: NetworkAnalysis | None, words: PeopleWords | None,
                   room_words: PeopleWords | None, departments: Sequence[str]) -> None:
        formal = analysis is not None and is_formal(analysis.network)  # no findings, no roles
        self._fill_cards(analysis)
        self.rules.setEnabled(not formal)  # no findings on reporting lines: nothing to tune
        self.overlap.clear()
        self.details.setText(DETAILS_HINT)
        self.department_box.blockSignals(True)
        self.department_box.clear()
        self.department_box.addItem("All departments", None)
        for d in departments:
            self.department_box.addItem(d, d)
        self.department_box.blockSignals(False)
        self.analysis, self.words, self.room_words = analysis, words, room_words
        if analysis is None:
            return
        self._filter()
        summary = analysis.metrics.network
        o = analysis.overlap
        notes = " ".join(analysis.metrics.notes)
        crossing = count_of(len(o.crossing), len(o.community_departments), "community",
                            "communities")
        self.overlap.setText(
            f"{crossing} {'mixes' if len(o.crossing) == 1 else 'mix'} people from two or more "
            f"departments. {agreement_text(o.agreement)}. {notes}".strip())
        cached = {"all": "saved result", "metrics": "saved measures, findings redone",
                  "": "computed now"}[analysis.from_cache]
        people = count(summary["people"], "person", "people")
        what = ("the formal structure, for reference" if formal else
                "click a finding to highlight its people on the map and in the table")
        self.hint.setText(f"{network_title(analysis.network)}: {people}, "
                          f"{count(summary['ties'], 'tie')} ({cached}); {what}.")

    def _fill_cards(self, analysis: NetworkAnalysis | None) -> None:
        """Each card's number with its meaning in words (explain's texts); its caption's
        tooltip defines the terms, with the exact figure where the words round it."""
        for key, terms, _stretch in CARDS:
            card = self.cards[key]
            text = self._figure_text(key, analysis)
            if text is None:
                value, words, aside = "–", glossary.label(key), ""
            else:
                value, words, aside = card_text(text)
            card.set_value(value)
            margins = card.layout().contentsMargins()
            card.setMinimumWidth(card.value.sizeHint().width() + margins.left()
                                 + margins.right() + 2)  # the number never clipped
            card.caption.setText(words)
            tip = _definitions(terms) + (f" Here: {aside}." if aside else "")
            card.setToolTip(tip)
            card.caption.setToolTip(tip)

    @staticmethod
    def _figure_text(key: str, analysis: NetworkAnalysis | None) -> str | None:
        """A figure of the network in words; None when it has none."""
        if analysis is None:
            return None
        if key == "ei_index":
            figures = analysis.findings.figures
            if "crossing_share" not in figures:
                return None
            return crossing_text(figures["crossing_share"],
                                 figures.get("expected_crossing_share"))
        if analysis.metrics.network.get(key) is None:
            return None
        return figure_text(key, analysis.metrics.network)

    # -- linking ---------------------------------------------------------------------------------

    def _people_of(self, row) -> list[str]:
        """The people a row (or a finding) is about: those it names, else everyone in its
        departments."""
        people = list(row.person_ids)
        if not people and row.groups:
            G = self.analysis.graph
            people = [p for p in G if G.nodes[p].get("department") in row.groups]
        return people

    def _finding_chosen(self, row: Row) -> None:
        """Highlight the people of a headline sentence, a finding or an entry; the details
        line states the rule behind it."""
        if self.analysis is None:
            return
        people = self._people_of(row)
        self.map.select(people, centre=True, labelled=row.person_ids or None)
        self.table.select(people)
        self._caption = " — ".join(t for t in (row.title, self._said(row)) if t)
        self.details.setText(f"<b>Rule:</b> {escape(row.rule, quote=False)}" if row.rule
                             else DETAILS_HINT)

    def _map_selected(self, people: list[str]) -> None:
        self.table.select(people)
        self.findings.unchoose()
        self._caption = self._people_caption(people)
        if len(people) == 1:
            self._show_details(people[0])

    def _table_selected(self, people: list[str]) -> None:
        self.map.select(people, centre=len(people) == 1)
        self.findings.unchoose()
        self._caption = self._people_caption(people)
        if len(people) == 1:
            self._show_details(people[0])

    def _said(self, row: Row) -> str:
        """A row's text as a room may read it."""
        return row.said(self.room_words) if self.room_words is not None else ""

    def _people_caption(self, people: list[str]) -> str:
        """What the map highlights, as a room may read it."""
        if not people:
            return ""
        if len(people) == 1 and self.room_words is not None:
            return self.room_words.text("{0}", people)
        return f"{count(len(people), 'person', 'people')} highlighted"

    def _show_details(self, person: str) -> None:
        a = self.analysis
        if a is None or person not in a.graph:
            return
        data = a.graph.nodes[person]
        figures = ", ".join(value_text(k, a.metrics.value(person, k))
                            for k in ("in_degree", "out_degree", "betweenness", "pagerank"))
        self.details.setText(f"<b>{escape(self.map.name_of(person))}</b> "
                             f"({data.get('department')}"
                             f"{', customer-facing' if data.get('customer_facing') else ''}): "
                             f"{role_name(a.findings.roles.get(person) or '') or 'no particular role'}; {figures}")

    def _filter(self) -> None:
        self.map.set_filter(self.department_box.currentData(), self.weight_box.value())

    def _search(self) -> None:
        hits = self.map.find(self.search.text())
        self.table.select(hits)
        if not hits:
            self.context.show_status(f"Nobody matches {self.search.text()!r}.", 5000)

    def _show_legend(self, entries: list) -> None:
        self.legend.setText("  ".join(f"<span style='color:{c}'>●</span> {t}"
                                      for t, c in entries))

    def export_map(self, path: str | None = None) -> None:
        """Save the map as a slide (title, caption, legend), as a file dialog asks."""
        if self.analysis is None:
            return
        if path is None:
            path, _ = QFileDialog.getSaveFileName(self, "Export the map", "network-map.png",
                                                  "PNG image (*.png);;SVG drawing (*.svg)")
            if not path:
                return
        try:
            self.map.export(path, network_title(self.analysis.network), self._caption)
        except Exception as exc:  # noqa: BLE001 - shown to the user
            self.context.show_error(str(exc))
            return
        self.context.show_status(f"Map saved to {path}.", 5000)

    def present(self) -> PresentationWindow | None:
        """The map full screen: the key people, then each headline sentence and each kind
        of finding (from the one chosen in the list)."""
        if self.analysis is None:
            return None
        if self.presentation is not None:
            self.presentation.close()
            self.presentation.deleteLater()
        rows = [self.findings.row(i) for i in self.findings.rows(HEADLINE, GROUP)]
        key = self.map.key_people[:self.map.idle_labels * 2]
        named = self.room_words is not None and self.room_words.named
        stops = [Stop(KEY_PEOPLE, KEY_NAMED if named else KEY_UNNAMED, tuple(key))] \
            if key else []
        stops += [Stop(r.title, self._said(r), tuple(self._people_of(r))) for r in rows]
        if not stops:
            stops = [Stop(FORMAL_TITLE if is_formal(self.analysis.network) else
                          "The whole network", "")]
        item = self.findings.currentItem()
        chosen = item.data(Qt.UserRole) if item is not None and self._caption else None
        if chosen is not None and chosen not in rows:  # an entry: its kind's stop
            chosen = next((r for r in rows if r.role == GROUP and r.kind == chosen.kind), None)
        start = rows.index(chosen) + (1 if key else 0) if chosen is not None else 0
        self.presentation = PresentationWindow(self.map, network_title(self.analysis.network),
                                               stops, start, parent=self.window())
        self.presentation.present()
        return self.presentation

    # -- comparisons -------------------------------------------------------------------------------

    def _update_compare_button(self) -> None:
        before, after = self.before_box.currentData(), self.after_box.currentData()
        ready = before is not None and after is not None and before != after
        self.compare_button.setEnabled(ready)
        self.compare_button.setToolTip(
            "What changed from the earlier to the later network: ties gained and lost, who "
            "became more or less central." if ready else
            "Choose two different networks (import a second one, e.g. a later survey).")

    def compare_dates(self) -> Task | None:
        before, after = self.before_box.currentData(), self.after_box.currentData()
        if before is None or after is None or before == after:
            self.context.show_error("Choose two different networks to compare.")
            return None
        project, params = self.session.project, self.params()
        return self.run_task(
            "compare", "Comparing networks",
            lambda p: compare_dated(project, before, after, params=params, progress=p),
            self._show_dated)

    def _show_dated(self, result) -> None:
        c, G = result.change, result.after.graph

        def name(p: str) -> str:
            return str(G.nodes[p].get("name") or p) if p in G else p

        before, after = result.before.network, result.after.network
        rows = [f"<h3>{network_title(before)} → {network_title(after)}</h3>"]
        if before.type != after.type:
            rows.append(f"<p><i>These are two different relations ({before.type or 'none'} and "
                        f"{after.type or 'none'}): the differences below compare two kinds of "
                        "tie, not a change over time.</i></p>")
        rows += [f"<p>{count(len(c.gained), 'tie')} gained and {len(c.lost):,} lost; "
                f"{count(len(c.joined), 'person', 'people')} joined and {len(c.left):,} "
                "left.</p>",
                f"<p><b>More central</b> ({label(c.measure).lower()}: "
                f"{sentence(c.measure)})</p><ul>"]
        def moved(m) -> str:
            return (f"<li>{escape(name(m.person))}: {value_text(c.measure, m.before)} before, "
                    f"{value_text(c.measure, m.after)} after</li>")

        rows += [moved(m) for m in c.risers]
        rows.append("</ul><p><b>Less central</b></p><ul>")
        rows += [moved(m) for m in c.fallers]
        rows.append("</ul>")
        self.comparison.setHtml("".join(rows))

    def compare_formal(self) -> Task:
        project = self.session.project
        return self.run_task("compare", "Comparing with reporting lines",
                             lambda p: compare_formal(project, progress=p), self._show_formal)

    def _show_formal(self, view) -> None:
        c = view.comparison
        share = "–" if c.share_outside is None else f"{c.share_outside:.0%}"
        teams = "".join(f"<li>{view.names.get(m, m)}'s team "
                        f"({count(c.team_sizes[m], 'person', 'people')})</li>"
                        for m in c.isolated_teams) or "<li>none: every team has ties beyond</li>"
        types = " and ".join(t.replace("_", " ") for t in view.types)
        self.comparison.setHtml(
            f"<h3>Informal ties ({types}) vs reporting lines</h3>"
            f"<p>{count_of(c.outside_reporting_lines, c.ties, 'tie')} ({share}) "
            f"{'links' if c.outside_reporting_lines == 1 else 'link'} people who "
            "are not manager and direct report: this is the work the organisation chart does "
            "not show.</p><p><b>Teams with no informal tie outside the team</b></p>"
            f"<ul>{teams}</ul>")


def _set_primary(button: QPushButton, primary: bool) -> None:
    """Give ``button`` the primary look (or take it away) and let the style redraw it."""
    button.setProperty("role", "primary" if primary else "")
    button.style().unpolish(button)
    button.style().polish(button)


def _definitions(terms: tuple[str, ...]) -> str:
    """The glossary's definitions of ``terms``, one after the other."""
    return " ".join(glossary.definition(t) for t in terms)
