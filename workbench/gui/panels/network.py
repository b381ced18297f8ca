"""People & Network: analyse a network, read the findings, explore the map and compare networks."""

from __future__ import annotations

from html import escape

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import (
    QAbstractTextDocumentLayout,
    QKeySequence,
    QPalette,
    QShortcut,
    QTextDocument,
)
from PySide6.QtWidgets import (
    QComboBox,
    QDoubleSpinBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSlider,
    QSpinBox,
    QSplitter,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
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
from workbench.core.network.explain import label, sentence
from workbench.core.network.findings import Thresholds
from workbench.core.wording import count, count_of
from workbench.gui.formatting import short_date
from workbench.gui.network_map import COLOUR_MODES, NetworkMap
from workbench.gui.panels.base import Panel
from workbench.gui.person_table import METRICS, PersonTable
from workbench.gui.style import SPACING
from workbench.gui.widgets import EmptyState, FigureCard
from workbench.gui.widgets import label as text_label
from workbench.gui.workers import Task

FIGURES = (  # key in MetricsResult.network, caption, explanation
    ("people", "People", "Everyone in the roster, with or without ties."),
    ("ties", "Ties", "Nominations or contacts between two people in this network."),
    ("density", label("density"), sentence("density")),
    ("reciprocity", label("reciprocity"), "The share of ties that go both ways."),
    ("components", "Separate parts", "Groups of people with no path at all between them."),
    ("communities", "Communities", sentence("community")),
    ("modularity", label("modularity"), sentence("modularity")),
)
DETAILS_HINT = "Click a dot or a row for details; double-click for more."
# Findings that call for a conversation come first, then the lists of notable people.
FINDING_ORDER = ("customer_champion", "silo", "overloaded", "key_person_risk",
                 "cross_functional_team", "coordinator_candidate", "broker",
                 "central_connector", "peripheral")


def finding_rank(kind: str) -> int:
    """Position of a finding kind in the list (unknown kinds last)."""
    return FINDING_ORDER.index(kind) if kind in FINDING_ORDER else len(FINDING_ORDER)


class FindingDelegate(QStyledItemDelegate):
    """Draws a finding's first line (its title) in bold and wraps the sentence below it."""

    PADDING = 6

    def document(self, option: QStyleOptionViewItem, text: str, width: int) -> QTextDocument:
        """The finding laid out as rich text ``width`` pixels wide."""
        title, _, rest = text.partition("\n")
        document = QTextDocument()
        document.setDefaultFont(option.font)
        document.setDocumentMargin(0)
        document.setHtml(f"<b>{escape(title)}</b><br>{escape(rest)}")
        document.setTextWidth(max(width - 2 * self.PADDING, 50))
        return document

    def _width(self, option: QStyleOptionViewItem) -> int:
        view = option.widget
        return view.viewport().width() if view is not None else option.rect.width()

    def sizeHint(self, option, index) -> QSize:
        width = self._width(option)
        document = self.document(option, index.data() or "", width)
        return QSize(width, round(document.size().height()) + 2 * self.PADDING)

    def paint(self, painter, option, index) -> None:
        option = QStyleOptionViewItem(option)
        self.initStyleOption(option, index)
        option.text = ""  # drawn below from the raw text (the option's has line separators)
        style = option.widget.style() if option.widget else None
        if style is not None:
            style.drawControl(QStyle.CE_ItemViewItem, option, painter, option.widget)
        document = self.document(option, index.data() or "", option.rect.width())
        context = QAbstractTextDocumentLayout.PaintContext()
        selected = bool(option.state & QStyle.State_Selected)
        context.palette.setColor(QPalette.Text, option.palette.color(
            QPalette.HighlightedText if selected else QPalette.Text))
        painter.save()
        painter.translate(option.rect.left() + self.PADDING, option.rect.top() + self.PADDING)
        document.documentLayout().draw(painter, context)
        painter.restore()


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
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.setContentsMargins(SPACING * 2, SPACING * 2, SPACING * 2, SPACING * 2)
        layout.setSpacing(SPACING)
        layout.addLayout(self._build_controls())
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
        self.resolution.setToolTip("Community resolution: higher finds more, smaller "
                                   "communities. The seed is fixed, so each run gives the "
                                   "same result.")
        self.resolution_value = QLabel("1.0")
        self.resolution.valueChanged.connect(
            lambda v: self.resolution_value.setText(f"{v / 10:.1f}"))
        defaults = Thresholds()
        self.top_share = QSpinBox(minimum=1, maximum=50, value=round(defaults.top_share * 100),
                                  suffix=" %")
        self.top_share.setToolTip("Central connectors and brokers: the top share of people on "
                                  "'sought out by' and 'bridge score'.")
        self.min_incoming = QSpinBox(minimum=1, maximum=500,
                                     value=defaults.overloaded_min_incoming)
        self.min_incoming.setToolTip("Overloaded: at least this many people come to them.")
        self.min_nominations = QSpinBox(minimum=1, maximum=50,
                                        value=defaults.champion_min_nominations)
        self.min_nominations.setToolTip("Customer champion: named for customer insight by at "
                                        "least this many people from other departments.")
        for widget in (text_label("Network"), self.network_box, self.analyse_button,
                       text_label("Resolution"), self.resolution, self.resolution_value,
                       text_label("Top"), self.top_share, text_label("Overloaded from"),
                       self.min_incoming, text_label("Champion from"), self.min_nominations):
            row.addWidget(widget)
        row.addStretch(1)
        return row

    def _build_figures(self) -> QHBoxLayout:
        row = QHBoxLayout()
        row.setSpacing(SPACING)
        self.cards = {}
        for key, caption, explanation in FIGURES:
            self.cards[key] = FigureCard(caption, explanation)
            row.addWidget(self.cards[key])
        self.ei_card = FigureCard("Silo score (all)", sentence("ei_index"))
        row.addWidget(self.ei_card)
        return row

    def _build_map_tab(self) -> QWidget:
        splitter = QSplitter(Qt.Horizontal)
        left = QWidget()
        lv = QVBoxLayout(left)
        lv.setContentsMargins(0, 0, 0, 0)
        lv.setSpacing(SPACING)
        lv.addWidget(text_label("Findings", "heading"))
        self.findings = QListWidget()
        self.findings.setWordWrap(True)
        self.findings.setItemDelegate(FindingDelegate(self.findings))
        self.findings.setResizeMode(QListWidget.Adjust)
        self.findings.setSpacing(1)
        self.findings.setHorizontalScrollBarPolicy(Qt.ScrollBarAlwaysOff)
        left.setMinimumWidth(240)
        self.findings.setAccessibleName("Findings")
        self.findings.currentItemChanged.connect(self._finding_chosen)
        lv.addWidget(self.findings, 1)
        self.overlap = text_label("", "hint", wrap=True)
        lv.addWidget(self.overlap)
        splitter.addWidget(left)

        centre = QWidget()
        cv = QVBoxLayout(centre)
        cv.setContentsMargins(0, 0, 0, 0)
        cv.setSpacing(SPACING)
        tools = QHBoxLayout()
        tools.setSpacing(SPACING)
        self.colour_box = QComboBox(toolTip="What the colours show.")
        self.colour_box.addItems([m.capitalize() for m in COLOUR_MODES])
        self.size_box = QComboBox(toolTip="What the dot sizes show.")
        for key in METRICS:
            self.size_box.addItem(label(key), key)
        self.department_box = QComboBox(toolTip="Show one department only.")
        self.weight_box = QDoubleSpinBox(minimum=0, maximum=1000, decimals=1, prefix="ties ≥ ")
        self.weight_box.setToolTip("Hide ties weaker than this.")
        self.search = QLineEdit(placeholderText="Find a person (Ctrl+F)")
        self.search.setClearButtonEnabled(True)
        self.search.setMinimumWidth(150)
        self.search.returnPressed.connect(self._search)
        QShortcut(QKeySequence.Find, self, activated=self.search.setFocus,
                  whatsThis="Find a person on the map")  # listed in Help › Keyboard shortcuts
        self.ego1 = QPushButton("+1 step", toolTip="Add everyone tied to the selection.")
        self.ego2 = QPushButton("+2 steps", toolTip="Add everyone within two ties.")
        fit = QPushButton("Fit", toolTip="Show the whole map (0). Zoom with the wheel or +/-.")
        export = QPushButton("Export…", toolTip="Save the map view as PNG or SVG.")
        for widget in (self.colour_box, self.size_box, self.department_box, self.weight_box):
            tools.addWidget(widget)
        for box in (self.colour_box, self.size_box, self.department_box):
            box.setSizeAdjustPolicy(QComboBox.AdjustToContents)
        self.department_box.setMinimumContentsLength(len("All departments"))
        tools.addStretch(1)
        more = QHBoxLayout()
        more.setSpacing(SPACING)
        for widget in (self.search, self.ego1, self.ego2, fit, export):
            more.addWidget(widget)
        more.addStretch(1)
        cv.addLayout(tools)
        cv.addLayout(more)
        self.map = NetworkMap()
        cv.addWidget(self.map, 1)
        self.legend = text_label("", "hint", wrap=True)
        cv.addWidget(self.legend)
        self.details = text_label(DETAILS_HINT, "hint", wrap=True)
        self.details.setTextFormat(Qt.RichText)
        cv.addWidget(self.details)
        splitter.addWidget(centre)

        self.table = PersonTable()
        self.table.setMinimumWidth(260)
        splitter.addWidget(self.table)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([300, 640, 400])

        self.colour_box.currentIndexChanged.connect(
            lambda i: self.map.set_colour_by(COLOUR_MODES[i]))
        self.size_box.currentIndexChanged.connect(
            lambda _i: self.map.set_size_by(self.size_box.currentData()))
        self.department_box.currentIndexChanged.connect(self._filter)
        self.weight_box.valueChanged.connect(self._filter)
        self.ego1.clicked.connect(lambda: self.map.ego(1))
        self.ego2.clicked.connect(lambda: self.map.ego(2))
        fit.clicked.connect(self.map.fit)
        export.clicked.connect(lambda: self.export_map())
        self.map.legend_changed.connect(self._show_legend)
        self.map.selection_changed.connect(self._map_selected)
        self.map.person_activated.connect(self._show_details)
        self.table.selection_changed.connect(self._table_selected)
        return splitter

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
        current = self.network_box.currentText()
        for box in (self.network_box, self.before_box, self.after_box):
            box.blockSignals(True)
            box.clear()
            for n in networks:
                box.addItem(f"{n.name}" + (f" ({short_date(n.date)})" if n.date else ""), n.name)
            box.blockSignals(False)
        names = [n.name for n in networks]
        if current in names:
            self.network_box.setCurrentIndex(names.index(current))
        dated = sorted((n for n in networks if n.date), key=lambda n: (n.date, n.id))
        if len(dated) >= 2:
            self.before_box.setCurrentIndex(names.index(dated[0].name))
            self.after_box.setCurrentIndex(names.index(dated[-1].name))
        self._update_compare_button()
        informal = any(n.type in INFORMAL_TYPES for n in networks)
        self.formal_button.setEnabled(informal)
        self.formal_button.setToolTip(
            "How many advice and customer-insight ties run outside the reporting lines, and "
            "which teams keep to themselves." if informal else
            "Needs an advice or customer-insight network: give that relation when importing "
            "ties, or import the network survey.")
        self.comparison.setPlaceholderText(
            "Choose an earlier and a later network and press Compare dates, or compare the "
            "informal networks with the reporting lines." if len(networks) > 1 or informal else
            "Comparisons need a second network (for example the same survey after 100 days) "
            "to compare dates, or an advice or customer-insight network to set against the "
            "reporting lines.")
        if not networks:
            self.hint.setText(f"{count(project.people.count(), 'person', 'people')} in the "
                              "roster and no network yet: import ties or a network survey to "
                              "analyse.")
            self._show(None)
            self.comparison.clear()  # the networks it compared are gone
            return
        self.hint.setText(f"{count(project.people.count(), 'person', 'people')}; "
                          f"{count(len(networks), 'network')}. "
                          "Press Analyse after changing the settings.")
        self.analyse()

    # -- analysis --------------------------------------------------------------------------------

    def params(self) -> AnalysisParams:
        thresholds = Thresholds(
            top_share=self.top_share.value() / 100,
            overloaded_min_incoming=self.min_incoming.value(),
            champion_min_nominations=self.min_nominations.value(),
            min_group_size=self.session.project.engagement.get().min_group_size,
        )
        return AnalysisParams(resolution=self.resolution.value() / 10, thresholds=thresholds)

    def analyse(self) -> Task | None:
        """Analyse the chosen network in a task (superseding one still running)."""
        name = self.network_box.currentData()
        if name is None:
            return None
        project, params = self.session.project, self.params()
        return self.run_task("analyse", f"Analysing {name}",
                             lambda progress: analyse_network(project, name, params, progress),
                             self._show)

    def set_session(self, session) -> None:
        if session is not self.session:  # nothing of the previous project stays on screen
            self.clear()  # (a result still on its way is dropped: see Panel.set_session)
        super().set_session(session)

    def clear(self) -> None:
        """Empty every widget that shows an analysis or a comparison."""
        self._show(None)
        self.hint.clear()
        self.search.clear()
        self.comparison.clear()
        for box in (self.network_box, self.before_box, self.after_box):
            box.clear()

    def _show(self, analysis: NetworkAnalysis | None) -> None:
        self.analysis = analysis
        self.map.set_analysis(analysis)
        self.table.set_analysis(analysis)
        self.findings.clear()
        for card in (*self.cards.values(), self.ei_card):
            card.set_value("–")
        self.overlap.clear()
        self.legend.clear()
        self.details.setText(DETAILS_HINT)
        self.department_box.blockSignals(True)
        self.department_box.clear()
        self.department_box.addItem("All departments", None)
        if analysis is None:
            self.department_box.blockSignals(False)
            return
        departments = sorted({str(d or "(not set)") for _, d in
                              analysis.graph.nodes(data="department")})
        for d in departments:
            self.department_box.addItem(d, d)
        self.department_box.blockSignals(False)
        self._filter()
        for finding in sorted(analysis.findings.findings, key=lambda f: finding_rank(f.kind)):
            item = QListWidgetItem(f"{finding.title}\n{finding.sentence}")
            item.setData(Qt.UserRole, finding)
            item.setToolTip(finding.sentence)
            self.findings.addItem(item)
        summary = analysis.metrics.network
        for key, card in self.cards.items():
            value = summary.get(key)
            card.set_value("–" if value is None else
                           f"{value:,}" if isinstance(value, int) else f"{value:.2f}")
        overall = analysis.groups.overall_ei
        self.ei_card.set_value("–" if overall is None else f"{overall:+.2f}")
        o = analysis.overlap
        notes = " ".join(analysis.metrics.notes)
        crossing = count_of(len(o.crossing), len(o.community_departments), "community",
                            "communities")
        self.overlap.setText(
            f"{crossing} {'mixes' if len(o.crossing) == 1 else 'mix'} people from "
            f"two or more departments; agreement between communities and departments "
            f"{o.agreement:.2f} (1 = identical). {notes}")
        self.overlap.setToolTip("Adjusted Rand index: 1 means the communities are exactly the "
                                "departments, around 0 means they are unrelated.")
        cached = {"all": "saved result", "metrics": "saved measures, findings redone",
                  "": "computed now"}[analysis.from_cache]
        people = count(summary["people"], "person", "people")
        self.hint.setText(f"{analysis.network.name}: {people}, {count(summary['ties'], 'tie')} "
                          f"({cached}). Click a finding to see its people on the map and in the "
                          "table.")

    # -- linking ---------------------------------------------------------------------------------

    def _finding_chosen(self, item: QListWidgetItem | None, _previous=None) -> None:
        if item is None or self.analysis is None:
            return
        finding = item.data(Qt.UserRole)
        people = list(finding.person_ids)
        if not people and finding.groups:
            G = self.analysis.graph
            people = [p for p in G if G.nodes[p].get("department") in finding.groups]
        self.map.select(people, centre=True)
        self.table.select(people)

    def _map_selected(self, people: list[str]) -> None:
        self.table.select(people)
        if len(people) == 1:
            self._show_details(people[0])

    def _table_selected(self, people: list[str]) -> None:
        self.map.select(people, centre=len(people) == 1)
        if len(people) == 1:
            self._show_details(people[0])

    def _show_details(self, person: str) -> None:
        a = self.analysis
        if a is None or person not in a.graph:
            return
        data = a.graph.nodes[person]
        figures = ", ".join(f"{label(k)} {_short(a.metrics.value(person, k))}"
                            for k in ("in_degree", "out_degree", "betweenness", "pagerank"))
        self.details.setText(f"<b>{data.get('name') or person}</b> ({data.get('department')}"
                             f"{', customer-facing' if data.get('customer_facing') else ''}): "
                             f"{a.findings.roles.get(person) or 'no particular role'}; {figures}")

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
        if path is None:
            path, _ = QFileDialog.getSaveFileName(self, "Export the map", "network-map.png",
                                                  "PNG image (*.png);;SVG drawing (*.svg)")
            if not path:
                return
        try:
            self.map.export(path)
        except Exception as exc:  # noqa: BLE001 - shown to the user
            self.context.show_error(str(exc))

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

        rows = [f"<h3>{result.before.network.name} → {result.after.network.name}</h3>",
                f"<p>{count(len(c.gained), 'tie')} gained and {len(c.lost):,} lost; "
                f"{count(len(c.joined), 'person', 'people')} joined and {len(c.left):,} "
                "left.</p>",
                f"<p><b>More central</b> ({label(c.measure).lower()}: "
                f"{sentence(c.measure)})</p><ul>"]
        rows += [f"<li>{name(m.person)}: {m.before:.3f} → {m.after:.3f}</li>" for m in c.risers]
        rows.append("</ul><p><b>Less central</b></p><ul>")
        rows += [f"<li>{name(m.person)}: {m.before:.3f} → {m.after:.3f}</li>" for m in c.fallers]
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


def _short(value: float | None) -> str:
    if value is None:
        return "–"
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:.3f}"
