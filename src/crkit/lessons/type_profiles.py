"""The six relationship types side by side, and which one fits a segment.

The notebooks on each type (03 to 08) share this module:

* :func:`types_table` compares the six types in one table (en, es or pt);
* :func:`profile_chart` draws one type's profile against the other five;
* :func:`fit` ranks the six types for a segment described by its need complexity, the
  yearly value of one customer, the number of customers and whether customers want to
  take part. Each type is put on a one-segment canvas and scored with the kit's rubric
  (:mod:`crkit.scoring.engine`), so a notebook's ranking and ``crkit score`` always agree;
* :func:`explorer` wraps :func:`fit` in dropdowns and sliders ("choose the type");
* :func:`self_service_what_if` shows what an issue costs when customers try
  self-service first (Gartner's 2019 costs per contact).

What a type costs to serve a segment comes from the kit's one cost model,
:mod:`crkit.core.costs` (``data/costs.yaml``), the same one the rubric's suggestions use.
Two of its numbers have a source, the cost of one contact through a live channel and
through self-service, from a 2019 Gartner poll reported by destinationCRM (read from
``data/evidence.yaml``); every other number, shown here as :data:`COST_MODEL` and
:data:`CONTACTS`, is the kit's own illustrative assumption, listed by
:func:`cost_model_table` and stamped on every figure that uses it.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from typing import Any

from crkit.core import costs, evidence, knowledge
from crkit.core.canvas import Canvas, Channel, Relationship, Segment, ValueProposition
from crkit.core.cases import cases_for, load_case
from crkit.core.i18n import check_language, localized, t
from crkit.core.numbers import money, number, percent, quantity
from crkit.scoring.criteria import first_metric
from crkit.scoring.engine import evaluate, progress_of, total_of
from crkit.scoring.rubric import default_rubric
from crkit.views import charts
from crkit.views.charts import TYPE_COLOURS, figure
from crkit.views.tables import table as full_table

#: the four dimensions every type is rated on (0-4) in ``relationship_types.yaml``
DIMENSIONS = ("human_involvement", "intimacy", "cost_to_serve", "scalability")
#: need complexity levels of the canvas format
COMPLEXITIES = ("low", "medium", "high")
#: how much customers want to take part: not at all, talk with peers, create with the company
PARTICIPATION = ("none", "share", "create")

# --- the cost model (crkit.core.costs), shown under the names the notebooks use ------
#: average cost of one contact through a live channel, US$ (Gartner 2019 poll, destinationCRM)
LIVE_CONTACT_COST = costs.live_contact_cost()
#: cost of one contact through self-service, US$ (same source)
SELF_SERVICE_CONTACT_COST = costs.self_service_contact_cost()
#: share of customers who fully resolve an issue in self-service (same source)
SELF_SERVICE_RESOLVED = costs.self_service_resolved()
_CONTACT_SOURCE = evidence.contact_costs()["live"]
GARTNER = f"{_CONTACT_SOURCE['source']}, {_CONTACT_SOURCE['year']}"
#: contacts one customer makes in a year, by need complexity (kit's assumption)
CONTACTS = costs.contacts_per_year()
#: per type: yearly fixed cost in US$, a yearly cost per customer that does not depend on
#: contacts (a person of one's own), and the share of contacts settled without a paid
#: person, by need complexity (``None``: contacts are included in ``per_customer``). All
#: the kit's illustrative assumptions, from ``data/costs.yaml``.
COST_MODEL: dict[str, dict[str, Any]] = costs.type_costs()
#: what a segment is taken to expect (BMG's first question), by need complexity, and the
#: types that customers who want to take part add; the kit's reading of each type's
#: "suits" notes in ``relationship_types.yaml``
EXPECTED = {
    "low": ["self-service"],
    "medium": ["personal-assistance", "automated-services"],
    "high": ["dedicated-personal-assistance", "personal-assistance"],
}
PARTICIPATION_ADDS = {"none": [], "share": ["communities"], "create": ["co-creation"]}
#: what customers worth the rubric's ``valuable_from`` a year or more expect whatever their
#: need complexity: a person, and for key accounts a person of their own
EXPECTED_VALUABLE = ["personal-assistance", "dedicated-personal-assistance"]
#: types that only work when customers want to take part (each type's "not for" notes)
NEEDS_PARTICIPATION = {"communities": ("share", "create"), "co-creation": ("create",)}


def type_ids() -> list[str]:
    """The six type ids, in the book's order."""
    return knowledge.ids("types")


def _type_id(value: str) -> str:
    folded = knowledge.fold("types", value)
    if folded is None:
        close = knowledge.nearest("types", value)
        hint = f"; did you mean {close!r}?" if close else ""
        raise ValueError(f"unknown relationship type {value!r}{hint}")
    return folded


def _money(value: float, lang: str | None = None) -> str:
    """US$ amounts the way the tables show them, in the reader's language: $0.25, $1,200
    (en), 0,25 US$ (es), US$ 1.200 (pt)."""
    return money(value, lang, digits=2 if abs(value) < 10 else 0)

def _tex(text: str) -> str:
    """Escape dollar signs so matplotlib prints them instead of starting maths."""
    return text.replace("$", r"\$")


def _wrap(text: str, width: int = 78) -> str:
    import textwrap

    return textwrap.fill(text, width)


def _lower(text: str) -> str:
    return text[:1].lower() + text[1:] if text[1:2].islower() else text


# --- the comparison table ------------------------------------------------------------
def types_table(lang: str | None = None):
    """The six types side by side: summary, the four 0-4 ratings, what they suit and
    what they do not, and the library's cases that use them (a pandas DataFrame)."""

    lang = check_language(lang)
    rows = []
    for entry in knowledge.relationship_types():
        cases = [c.company_name(lang) for c in cases_for(type=entry["id"])]
        row = {t("label.name", lang): localized(entry["name"], lang),
               t("label.summary", lang): localized(entry["summary"], lang)}
        for dim in DIMENSIONS:
            row[t(f"label.{dim}", lang)] = entry[dim]
        row[t("label.suits", lang)] = localized(entry["suits"], lang)
        row[t("label.not_for", lang)] = localized(entry["not_for"], lang)
        row[t("label.examples", lang)] = ", ".join(cases)
        rows.append(row)
    table = full_table(rows)
    table.attrs["note"] = t("profile.ratings-note", lang)
    return table


def ratings_table(lang: str | None = None):
    """The four 0-4 ratings only: types as rows, dimensions as columns."""
    lang = check_language(lang)
    entries = knowledge.relationship_types()
    return full_table([{t(f"label.{d}", lang): e[d] for d in DIMENSIONS} for e in entries],
                  index=[knowledge.name("types", e["id"], lang) for e in entries])


def cases_table(type_: str, lang: str | None = None):
    """The library's cases that use one type: company, whether the type is the case's
    main or a secondary one, years and summary (main uses first)."""

    lang = check_language(lang)
    type_ = _type_id(type_)
    found = sorted(cases_for(type=type_), key=lambda c: (type_ not in c.types_main, c.id))
    return full_table([{
        t("profile.case", lang): c.company_name(lang),
        t("profile.role", lang): t("profile.role-main" if type_ in c.types_main
                                   else "profile.role-secondary", lang),
        t("profile.years", lang): c.years,
        t("label.summary", lang): c.text("summary", lang),
    } for c in found], index=[c.id for c in found])


def case_uses(type_: str, lang: str | None = None):
    """Every relationship of one type in the library's case canvases: the segment it
    serves, how many customers and what one brings in a year, and what the relationship
    costs per customer against that value. The numbers are the cases' own, most of them
    illustrative, as each case file says."""

    lang = check_language(lang)
    type_ = _type_id(type_)
    rows = []
    for case in sorted(cases_for(type=type_), key=lambda c: (type_ not in c.types_main, c.id)):
        for case_canvas in case.canvases:
            canvas = case_canvas.canvas
            for rel in canvas.relationships:
                if rel.type != type_:
                    continue
                seg = canvas.segment(rel.segment)
                share = None
                if seg.value_per_customer and rel.cost_per_customer is not None:
                    share = rel.cost_per_customer / seg.value_per_customer
                rows.append({
                    t("profile.case", lang): case.company_name(lang),
                    t("kind.segment", lang).capitalize(): seg.name,
                    t("explorer.complexity", lang): _lower(
                        knowledge.name("need_complexity", seg.need_complexity, lang)),
                    t("explorer.customers", lang): "" if seg.customers is None else
                    number(seg.customers, lang, digits=0),
                    t("explorer.value", lang): "" if seg.value_per_customer is None else
                    _money(seg.value_per_customer, lang),
                    t("fit.col-cost", lang): "" if rel.cost_per_customer is None else
                    _money(rel.cost_per_customer, lang),
                    t("fit.col-share", lang): "" if share is None else f"{_percent(share, lang)}%",
                })
    return full_table(rows)


def _fact_value(fact: Any, lang: str | None = None) -> str:
    return quantity(fact.value, fact.unit, lang)


@dataclass
class CaseCard:
    """A case at a glance for a notebook: title, summary and every fact with its source."""

    case: Any
    language: str

    def facts(self):
        """The case's facts (text, value, source, year, status) as a DataFrame."""
        lang = self.language
        return full_table([{
            t("label.fact", lang): f.say(lang),
            t("label.value", lang): _fact_value(f, lang),
            t("label.source", lang): f.source,
            t("label.year", lang): f.year,
            t("label.status", lang): t(f"case.status-{f.status}", lang),
        } for f in self.case.facts])

    def _repr_html_(self) -> str:
        case, lang = self.case, self.language
        meta = " · ".join([case.text("industry", lang), case.text("region", lang), case.years])
        return (f'<div class="crkit-case tex2jax_ignore mathjax_ignore">'
                f"<p><b>{html.escape(case.title(lang))}</b><br/>"
                f"<small>{html.escape(meta)}</small></p>"
                f"<p>{html.escape(case.text('summary', lang))}</p>"
                f"{self.facts()._repr_html_()}</div>")

    def __repr__(self) -> str:
        return f"{self.case.title(self.language)}\n{self.case.text('summary', self.language)}"


def case_card(case: Any, lang: str | None = None) -> CaseCard:
    """A case (a :class:`crkit.core.cases.Case` or its id) shown as title, summary and facts."""

    return CaseCard(load_case(case) if isinstance(case, str) else case, check_language(lang))


def profile(type_: str) -> dict[str, int]:
    """One type's four ratings (0-4)."""
    entry = knowledge.get("types", _type_id(type_))
    return {dim: entry[dim] for dim in DIMENSIONS}


# --- the profile chart ---------------------------------------------------------------
def profile_chart(type_: str, lang: str | None = None):
    """Grouped bars of the four ratings for all six types, with ``type_`` highlighted."""

    lang = check_language(lang)
    type_ = _type_id(type_)
    ids = type_ids()
    fig, ax = figure(9, 4.6)
    width = 0.8 / len(ids)
    for i, other in enumerate(ids):
        entry = knowledge.get("types", other)
        xs = [d + (i - (len(ids) - 1) / 2) * width for d in range(len(DIMENSIONS))]
        # a zero rating still gets a thin visible stub, so no type disappears
        heights = [max(entry[dim], 0.06) for dim in DIMENSIONS]
        chosen = other == type_
        ax.bar(xs, heights, width * 0.92, color=TYPE_COLOURS[other],
               alpha=1.0 if chosen else 0.4, edgecolor="#000000" if chosen else "none",
               linewidth=1.2 if chosen else 0, label=knowledge.name("types", other, lang),
               zorder=3 if chosen else 2)
        if chosen:
            for x, value in zip(xs, (entry[d] for d in DIMENSIONS)):
                ax.text(x, max(value, 0.06) + 0.08, str(value), ha="center", va="bottom",
                        fontsize=10, fontweight="bold")
    ax.set_xticks(range(len(DIMENSIONS)))
    ax.set_xticklabels([t(f"label.{d}", lang) for d in DIMENSIONS])
    ax.set_ylim(0, 4.6)
    ax.set_yticks(range(5))
    ax.set_ylabel(t("profile.chart-ylabel", lang))
    ax.set_xlabel(t("profile.chart-xlabel", lang))
    ax.set_title(_wrap(t("profile.chart-title", lang,
                         type=knowledge.name("types", type_, lang)), 70),
                 loc="left", fontsize=12)
    legend = ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False,
                       fontsize=9)
    for text in legend.get_texts():
        if text.get_text() == knowledge.name("types", type_, lang):
            text.set_fontweight("bold")
    fig.text(0.01, 0.01, t("profile.ratings-note", lang), ha="left", va="bottom",
             fontsize=8, style="italic", color="#444444")
    fig.tight_layout(rect=(0, 0.04, 1, 1))
    return charts.describe(fig, profile_alt(type_, lang))


def profile_alt(type_: str, lang: str | None = None) -> str:
    """Alt text for :func:`profile_chart`, with the highlighted type's four ratings."""
    type_ = _type_id(type_)
    return t("profile.alt", lang, type=knowledge.name("types", type_, lang), **profile(type_))


# --- the cost model ------------------------------------------------------------------
def cost_per_customer(type_: str, need_complexity: str, customers: float) -> float:
    """Yearly cost to serve one customer with a type, by the kit's illustrative model.

    fixed cost / customers + cost per customer + contacts x (share settled without a
    person x US$0.10 + the rest x US$8.01), the two costs per contact from Gartner (2019).
    """
    return costs.cost_per_customer(_type_id(type_), _complexity(need_complexity), customers)


def _complexity(value: str) -> str:
    folded = knowledge.fold("need_complexity", value)
    if folded is None:
        raise ValueError(f"need complexity must be one of {', '.join(COMPLEXITIES)}, "
                         f"not {value!r}")
    return folded


def cost_model_table(lang: str | None = None):
    """Every number of the cost model with where it comes from (a DataFrame)."""
    lang = check_language(lang)
    own = t("profile.kit-assumption", lang)
    col_item, col_value, col_source = (t("profile.item", lang), t("label.value", lang),
                                       t("label.source", lang))
    rows = [
        {col_item: t("profile.cost-live", lang), col_value: _money(LIVE_CONTACT_COST, lang),
         col_source: GARTNER},
        {col_item: t("profile.cost-self", lang), col_value: _money(SELF_SERVICE_CONTACT_COST, lang),
         col_source: GARTNER},
        {col_item: t("profile.contacts", lang),
         col_value: " / ".join(str(CONTACTS[c]) for c in COMPLEXITIES), col_source: own},
    ]
    for type_ in type_ids():
        model = COST_MODEL[type_]
        name = knowledge.name("types", type_, lang)
        parts = []
        if model["fixed"]:
            parts.append(t("profile.fixed", lang, cost=_money(model["fixed"], lang)))
        if model["per_customer"]:
            parts.append(t("profile.per-customer", lang, cost=_money(model["per_customer"], lang)))
        if model["solved"] is not None:
            parts.append(t("profile.solved", lang, shares=" / ".join(
                f"{round(100 * model['solved'][c])}%" for c in COMPLEXITIES)))
        rows.append({col_item: name, col_value: "; ".join(parts), col_source: own})
    return full_table(rows)


def cost_curve_chart(type_: str | None = None, need_complexity: str = "medium",
                     lang: str | None = None):
    """Yearly cost to serve one customer against the number of customers, per type.

    People-based types cost the same per customer at any size; types with a fixed cost
    (software, a platform, a community manager) get cheaper per customer as they grow.
    Built on the kit's illustrative cost model, and stamped as such.
    """
    import numpy as np


    lang = check_language(lang)
    complexity = _complexity(need_complexity)
    chosen = _type_id(type_) if type_ else None
    sizes = np.logspace(2, 7, 60)
    fig, ax = figure(9, 4.8)
    for other in type_ids():
        costs = [cost_per_customer(other, complexity, n) for n in sizes]
        strong = chosen is None or other == chosen
        ax.plot(sizes, costs, color=TYPE_COLOURS[other], linewidth=3 if other == chosen else 2,
                alpha=1.0 if strong else 0.5, label=knowledge.name("types", other, lang),
                zorder=3 if other == chosen else 2)
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlim(sizes[0], sizes[-1])
    ax.xaxis.set_major_formatter(_count_formatter(lang))
    ax.yaxis.set_major_formatter(_money_formatter(lang))
    ax.grid(axis="x", alpha=0.3)
    ax.set_xlabel(t("profile.curve-xlabel", lang))
    ax.set_ylabel(t("profile.curve-ylabel", lang))
    ax.set_title(_wrap(t("profile.curve-title", lang, complexity=_lower(
        knowledge.name("need_complexity", complexity, lang))), 70), loc="left", fontsize=12)
    legend = ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False,
                       fontsize=9)
    if chosen:
        for text in legend.get_texts():
            if text.get_text() == knowledge.name("types", chosen, lang):
                text.set_fontweight("bold")
    fig.tight_layout(rect=(0, 0.04, 1, 1))
    charts.mark_illustrative(fig, lang, t("profile.illustrative", lang))
    return charts.describe(fig, cost_curve_alt(type_, need_complexity, lang))


def cost_curve_alt(type_: str | None = None, need_complexity: str = "medium",
                   lang: str | None = None) -> str:
    """Alt text for :func:`cost_curve_chart`."""
    complexity = _complexity(need_complexity)
    chosen = _type_id(type_) if type_ else "self-service"
    return t("profile.curve-alt", lang, type=knowledge.name("types", chosen, lang),
             small=_money(cost_per_customer(chosen, complexity, 1_000), lang),
             large=_money(cost_per_customer(chosen, complexity, 1_000_000), lang))


def _count_formatter(lang: str | None = None):
    from matplotlib.ticker import FuncFormatter

    def fmt(value, _pos):
        for limit, suffix in ((1e6, "M"), (1e3, "k")):
            if value >= limit:
                return f"{number(value / limit, lang)}{suffix}"
        return number(value, lang)

    return FuncFormatter(fmt)


def _money_formatter(lang: str | None = None):
    from matplotlib.ticker import FuncFormatter

    return FuncFormatter(lambda value, _pos: _tex(money(value, lang,
                                                        digits=2 if value < 1 else 0)))


# --- which type fits a segment -------------------------------------------------------
@dataclass
class SegmentSpec:
    """A segment described by what decides the relationship: how complex its needs are,
    what one customer brings in a year (US$), how many customers it has, and whether
    customers want to take part (``none``, ``share`` with peers, ``create`` with the
    company). ``expects`` overrides the types the kit takes the segment to expect."""

    need_complexity: str
    value_per_customer: float
    customers: float
    participation: str = "none"
    expects: list[str] | None = None

    def __post_init__(self) -> None:
        self.need_complexity = _complexity(self.need_complexity)
        if self.value_per_customer is None or self.value_per_customer < 0:
            raise ValueError("value_per_customer must be 0 or more")
        if not self.customers or self.customers <= 0:
            raise ValueError("customers must be above 0")
        if self.participation not in PARTICIPATION:
            raise ValueError(f"participation must be one of {', '.join(PARTICIPATION)}, "
                             f"not {self.participation!r}")
        if self.expects is not None:
            self.expects = [_type_id(x) for x in self.expects]

    def expected(self) -> list[str]:
        """The types the segment expects: given, or the kit's rule (:data:`EXPECTED`)."""
        if self.expects is not None:
            return list(self.expects)
        base = EXPECTED[self.need_complexity]
        if self.value_per_customer >= _valuable_from():
            base = [t for t in EXPECTED_VALUABLE if t in base] + [
                t for t in EXPECTED_VALUABLE if t not in base]
        return base + PARTICIPATION_ADDS[self.participation]

    def allows(self, type_: str) -> bool:
        """False for communities or co-creation when customers do not want to take part."""
        needed = NEEDS_PARTICIPATION.get(type_)
        return needed is None or self.participation in needed

    def describe(self, lang: str | None = None) -> str:
        """One line: need complexity, value per customer, customers, participation."""
        return t("fit.segment-line", lang, complexity=_lower(
            knowledge.name("need_complexity", self.need_complexity, lang)),
            value=_money(self.value_per_customer, lang),
            customers=number(self.customers, lang, digits=0),
            participation=t(f"fit.participation-{self.participation}", lang))


def fit_canvas(segment: SegmentSpec, type_: str, lang: str | None = None) -> Canvas:
    """A one-segment canvas served by one type, ready for :func:`crkit.score`.

    Everything but the type and its cost is the same for every type (one value
    proposition, one channel, the three motivations, the six lifecycle stages and a
    metric for each motivation), so only expectation fit, economics and leverage can
    tell the types apart.
    """

    lang = check_language(lang)
    type_ = _type_id(type_)
    motivations = knowledge.ids("motivations")
    name = knowledge.name("types", type_, lang)
    return Canvas(
        title=f"{t('fit.segment-name', lang)}: {name}",
        language=lang,
        value_propositions=[ValueProposition("offer", t("fit.offer", lang))],
        segments=[Segment(
            id="segment", name=t("fit.segment-name", lang), customers=segment.customers,
            value_per_customer=segment.value_per_customer,
            need_complexity=segment.need_complexity, expects=segment.expected(),
            value_propositions=["offer"])],
        channels=[Channel("channel", localized(knowledge.get("types", type_)["channels"],
                                               lang)[0], ["segment"])],
        relationships=[Relationship(
            segment="segment", type=type_, motivations=list(motivations), bond="long-term",
            channels=["channel"], stages=knowledge.ids("stages"),
            cost_per_customer=cost_per_customer(type_, segment.need_complexity,
                                                segment.customers),
            metrics=[first_metric(m, lang) for m in motivations])],
    )


@dataclass
class TypeFit:
    """One type's place in a ranking, with its rubric total and the reasons."""

    type: str
    name: str
    rank: int
    total: float
    progress: float
    cost: float
    cost_share: float | None
    expected: bool
    allowed: bool
    scores: dict[str, int]
    reasons: list[str]
    canvas: Canvas = field(repr=False)


@dataclass
class FitResult:
    """The six types ranked for one segment, best first."""

    segment: SegmentSpec
    language: str
    rows: list[TypeFit]

    @property
    def order(self) -> list[str]:
        """Type ids, best first."""
        return [r.type for r in self.rows]

    @property
    def best(self) -> str:
        """The type that fits best."""
        return self.rows[0].type

    def row(self, type_: str) -> TypeFit:
        """One type's row."""
        type_ = _type_id(type_)
        return next(r for r in self.rows if r.type == type_)

    def totals(self) -> dict[str, float]:
        """Type id -> rubric total (out of 100)."""
        return {r.type: r.total for r in self.rows}

    def table(self):
        """The ranking as a DataFrame: rank, type, rubric total, cost, share, reasons."""
        lang = self.language
        return full_table([{
            t("fit.col-type", lang): r.name,
            t("fit.col-total", lang): r.total,
            t("fit.col-progress", lang): round(r.progress, 1),
            t("fit.col-cost", lang): _money(r.cost, lang),
            t("fit.col-share", lang): f"{_percent(r.cost_share, lang)}%",
            t("fit.col-why", lang): "; ".join(r.reasons),
        } for r in self.rows], index=[r.rank for r in self.rows])

    def chart(self):
        """Horizontal bars of the rubric totals, best at the top."""
        return charts.describe(fit_chart(self), self.alt())

    def alt(self) -> str:
        """Alt text for :meth:`chart`."""
        first, second = self.rows[0], self.rows[1]
        return t("fit.alt", self.language, segment=self.segment.describe(self.language),
                 first=first.name, first_total=first.total, second=second.name,
                 second_total=second.total)

    def _repr_html_(self) -> str:
        return self.table()._repr_html_()


def fit(need_complexity: str = "medium", value_per_customer: float = 500,
        customers: float = 10_000, participation: str = "none",
        expects: list[str] | None = None, lang: str | None = None,
        rubric: Any = None) -> FitResult:
    """Rank the six types for a segment, each scored on its own one-segment canvas.

    The ranking follows the rubric's total (``crkit.score`` of :func:`fit_canvas`, priced
    by the kit's one cost model). A type that costs more a year than a customer brings
    in ranks after every type the customer can pay for, so a ruinous choice never ties
    with a sound one. Ties go to the rubric's unrounded progress while the cost stays
    sustainable (economics above 0), otherwise to the lower cost; then to the book's
    order, so the ranking is deterministic. Communities and co-creation go last,
    whatever their total, when customers do not want to take part
    (``participation="none"``): each type's "not for" notes say those relationships need
    willing members. Every row's first reason says why it ranks where it does.

    Parameters
    ----------
    need_complexity : str
        ``low``, ``medium`` or ``high`` (or the Spanish or Portuguese name).
    value_per_customer : float
        What one customer brings in a year, US$.
    customers : float
        How many customers the segment has.
    participation : str
        ``none``, ``share`` (they like to talk with peers) or ``create`` (they want to
        contribute designs, content or reviews).
    expects : list of str, optional
        The types the segment expects; the kit's rule (:data:`EXPECTED`) when omitted.
    lang : str, optional
        Language of the names and reasons.
    rubric : Rubric, optional
        An instructor's rubric (:func:`crkit.load_rubric`); the kit's by default.
    """

    lang = check_language(lang)
    rubric = rubric or default_rubric()
    spec = SegmentSpec(need_complexity, value_per_customer, customers, participation,
                       expects)
    rows = []
    for position, type_ in enumerate(type_ids()):
        canvas = fit_canvas(spec, type_, lang)
        results = evaluate(canvas, rubric)
        cost = canvas.relationships[0].cost_per_customer
        value = spec.value_per_customer
        share = cost / value if value else None
        row = TypeFit(
            type=type_, name=knowledge.name("types", type_, lang), rank=0,
            total=total_of(results, rubric), progress=round(progress_of(results, rubric), 6),
            cost=cost, cost_share=share, expected=type_ in spec.expected(),
            allowed=spec.allows(type_), scores={c.id: s for c, _, s in results},
            reasons=[], canvas=canvas)
        row.reasons = _reasons(row, spec, results, lang, rubric)
        rows.append((position, row))
    rows.sort(key=lambda pr: _order(*pr))
    ranked = [row for _, row in rows]
    for i, row in enumerate(ranked, start=1):
        row.rank = i
    for i, row in enumerate(ranked):
        row.reasons.insert(0, _rank_reason(ranked, i, rubric, lang))
    return FitResult(spec, lang, ranked)


def affordable(row: TypeFit) -> bool:
    """True when a customer brings in at least what the type costs to serve them a year."""
    return row.cost_share is not None and row.cost_share <= 1 or row.cost == 0


def _order(position: int, row: TypeFit) -> tuple:
    """Sort key: allowed types first, then those the customer can pay for, then the rubric
    total; a tie goes to the unrounded progress while the cost is sustainable, otherwise
    to the cheaper type."""
    sustainable = row.scores.get("economics", 0) > 0
    tie = -row.progress if sustainable else (row.cost_share or 0.0)
    return (not row.allowed, not affordable(row), -row.total, not sustainable, tie, row.cost,
            position)


def _rank_reason(ranked: list[TypeFit], i: int, rubric: Any, lang: str) -> str:
    """Why the type in position ``i`` ranks there, against the one just above it."""
    row = ranked[i]
    if i == 0:
        if len(ranked) > 1 and ranked[1].total == row.total:
            return t("fit.why-first-tie", lang, total=row.total, other=ranked[1].name,
                     because=_tie_break(row, ranked[1], lang))
        return t("fit.why-first", lang, total=row.total)
    above = ranked[i - 1]
    if not row.allowed and above.allowed:
        return t("fit.why-participation", lang)
    if not affordable(row) and row.allowed:
        return t("fit.why-loss", lang, percent=_percent(row.cost_share, lang))
    gap = round(above.total - row.total, 1)
    if gap <= 0:
        return t("fit.why-tie", lang, total=row.total, other=above.name,
                 because=_tie_break(above, row, lang))
    names = {c.id: c for c in rubric.criteria}
    weights = {c.id: c.weight for c in rubric.criteria}
    worst = max(row.scores, key=lambda c: ((above.scores[c] - row.scores[c]) * weights[c],
                                           -list(row.scores).index(c)))
    return t("fit.why-behind", lang, gap=number(gap, lang), other=above.name,
             criterion=names[worst].label(lang), score=row.scores[worst],
             other_score=above.scores[worst])


def _tie_break(first: TypeFit, second: TypeFit, lang: str) -> str:
    """What puts ``first`` ahead of ``second`` on the same total."""
    if first.scores.get("economics", 0) > 0 and first.progress != second.progress:
        return t("fit.tie-progress", lang)
    return t("fit.tie-cost", lang)


def _reasons(row: TypeFit, spec: SegmentSpec, results: list, lang: str,
             rubric: Any) -> list[str]:
    """Short reasons, read from the rubric's own findings where it has them."""
    findings = {f.key: f.values for _, outcome, _ in results for f in outcome.findings}
    complexity = _lower(knowledge.name("need_complexity", spec.need_complexity, lang))
    out = []
    if not row.allowed:
        out.append(t("fit.needs-participation", lang))
    out.append(t("fit.expected" if row.expected else "fit.not-expected", lang))
    out.append(t("fit.intimacy-low" if "segment-intimacy-low" in findings
                 else "fit.intimacy-ok", lang, complexity=complexity))
    out.append(t("fit.cost", lang, cost=_money(row.cost, lang),
                 percent=_percent(row.cost_share, lang)))
    scalable = knowledge.get("types", row.type)["scalability"] >= _scalable_from(rubric)
    out.append(t("fit.scalable" if scalable else "fit.not-scalable", lang))
    if row.type in ("communities", "co-creation"):
        out.append(t("fit.helpers", lang))
    return out


def _percent(share: float | None, lang: str | None = None) -> str:
    """A share as the tables show it: 0.4, 6.2, 38, or ∞ when the value is 0."""
    if share is None:
        return "∞"
    return number(100 * share, lang, digits=1 if share < 0.1 else 0)


def _valuable_from() -> float:
    """The rubric's yearly value from which customers count as valuable (key accounts)."""
    return default_rubric().criteria[0].params["valuable_from"]


def _scalable_from(rubric: Any) -> int:
    """The rubric's threshold for a scalable type (3 in the kit's rubric)."""

    for source in (rubric, default_rubric()):
        criterion = next((c for c in source.criteria if c.id == "leverage"), None)
        if criterion is not None:
            return criterion.params["scalable_from"]
    return 3


def fit_chart(result: FitResult):
    """Horizontal bars of each type's rubric total for one segment, best at the top."""
    import textwrap


    lang = result.language
    fig, ax = figure(9, 4.6)
    rows = list(reversed(result.rows))
    ys = range(len(rows))
    for y, row in zip(ys, rows):
        first = row.rank == 1
        ax.barh(y, row.total, color=TYPE_COLOURS[row.type], alpha=1.0 if row.allowed else 0.3,
                hatch=None if row.allowed else "//", edgecolor="#000000" if first else "none",
                linewidth=1.5 if first else 0)
        label = number(row.total, lang) if row.allowed else \
            f"{number(row.total, lang)}  ({t('fit.not-taking-part', lang)})"
        ax.text(row.total + 1, y, label, va="center", fontsize=9,
                fontweight="bold" if first else "normal")
    ax.set_yticks(list(ys))
    ax.set_yticklabels([f"{r.rank}. {r.name}" for r in rows])
    for tick, row in zip(ax.get_yticklabels(), rows):
        if row.rank == 1:
            tick.set_fontweight("bold")
    ax.set_xlim(0, 125)
    ax.set_xticks(range(0, 101, 20))
    ax.grid(axis="y", alpha=0)
    ax.grid(axis="x", alpha=0.3)
    ax.set_xlabel(t("fit.chart-xlabel", lang))
    ax.set_ylabel(t("fit.chart-ylabel", lang))
    subtitle = textwrap.fill(result.segment.describe(lang), 100)
    ax.set_title(_wrap(t("fit.chart-title", lang), 80), loc="left", fontsize=12,
                 pad=10 + 13 * (subtitle.count("\n") + 1))
    ax.text(0, 1.02, _tex(subtitle), transform=ax.transAxes, fontsize=9, color="#333333",
            va="bottom")
    fig.tight_layout(rect=(0, 0.04, 1, 1))
    charts.mark_illustrative(fig, lang, t("profile.illustrative", lang))
    return fig


# --- interactive: choose the type ----------------------------------------------------
def _table_html(result: FitResult) -> str:
    return result.table().to_html(escape=True, border=0, classes="crkit-fit")


def explorer(lang: str | None = None, need_complexity: str = "medium",
             value_per_customer: float = 500, customers: float = 10_000,
             participation: str = "none"):
    """"Choose the type": controls for a segment, and the ranking with its chart.

    The ranking and the chart update in place as the controls change; a headless run
    (tests, the course site) shows the starting state. The returned widget keeps the
    current :class:`FitResult` in ``.result``.
    """
    import ipywidgets as w

    lang = check_language(lang)

    class TypeExplorer(w.VBox):
        """The explorer widget; ``result`` is the ranking currently shown."""

    complexity = w.Dropdown(
        options=[(knowledge.name("need_complexity", c, lang), c) for c in COMPLEXITIES],
        value=_complexity(need_complexity), description=t("explorer.complexity", lang))
    value = w.FloatLogSlider(value=value_per_customer, base=10, min=1, max=6, step=0.05,
                             description=t("explorer.value", lang), readout_format=",.0f",
                             continuous_update=False)
    count = w.FloatLogSlider(value=customers, base=10, min=1, max=8, step=0.05,
                             description=t("explorer.customers", lang), readout_format=",.0f",
                             continuous_update=False)
    taking_part = w.Dropdown(
        options=[(t(f"explorer.participation-{p}", lang), p) for p in PARTICIPATION],
        value=participation, description=t("explorer.participation", lang))
    controls = [complexity, value, count, taking_part]
    for control in controls:
        control.style.description_width = "initial"
        control.layout.width = "420px"
    headline = w.HTML()
    table = w.HTML()
    picture = w.HTML()
    box = TypeExplorer([w.HTML(f"<b>{html.escape(t('explorer.title', lang))}</b>"),
                        *controls, headline, table, picture])
    box.controls = {"need_complexity": complexity, "value_per_customer": value,
                    "customers": count, "participation": taking_part}

    def update(_change=None) -> None:
        result = fit(complexity.value, round(value.value, 2), round(count.value),
                     taking_part.value, lang=lang)
        box.result = result
        top = result.rows[0]
        headline.value = "<p>" + html.escape(t("explorer.best", lang, type=top.name,
                                                   total=top.total)) + "</p>"
        table.value = _table_html(result)
        picture.value = charts.img_tag(result.chart(), result.alt())

    for control in controls:
        control.observe(update, names="value")
    update()
    return box


# --- interactive: what does self-service save? --------------------------------------
def self_service_cost(resolved: float, live: float = LIVE_CONTACT_COST,
                      self_service: float = SELF_SERVICE_CONTACT_COST) -> float:
    """Cost of one issue when the customer tries self-service first.

    Every issue costs one self-service contact; those not fully resolved (1 - resolved)
    also cost a live contact. With Gartner's 2019 figures (US$0.10, US$8.01, 9% resolved)
    that is US$7.39 against US$8.01 for going live straight away.
    """

    return costs.self_service_first_cost(resolved, live, self_service)


def self_service_table(resolved_shares: tuple[float, ...] = (0.09, 0.25, 0.5, 0.75),
                       lang: str | None = None):
    """Cost per issue, saving against live-only service, for a few resolution shares."""
    lang = check_language(lang)
    rows = [{
        t("whatif.col-resolved", lang): f"{round(100 * r)}%",
        t("whatif.col-cost", lang): round(self_service_cost(r), 2),
        t("whatif.col-saving", lang): round(LIVE_CONTACT_COST - self_service_cost(r), 2),
        t("whatif.col-saving-share", lang):
            percent(1 - self_service_cost(r) / LIVE_CONTACT_COST, lang),
    } for r in resolved_shares]
    return full_table(rows)


def self_service_chart(resolved: float = SELF_SERVICE_RESOLVED, lang: str | None = None):
    """Cost of one issue against the share fully resolved in self-service."""
    import numpy as np


    lang = check_language(lang)
    shares = np.linspace(0, 1, 101)
    costs = [self_service_cost(r) for r in shares]
    fig, ax = figure(8, 4.4)
    ax.plot(100 * shares, costs, color=TYPE_COLOURS["self-service"], linewidth=2.5,
            label=t("whatif.self-first", lang))
    ax.axhline(LIVE_CONTACT_COST, color=TYPE_COLOURS["personal-assistance"], linestyle="--",
               linewidth=2, label=_tex(t("whatif.live-only", lang,
                                         cost=_money(LIVE_CONTACT_COST, lang))))
    ax.axvline(100 * SELF_SERVICE_RESOLVED, color="#555555", linestyle=":", linewidth=1.2)
    ax.text(100 * SELF_SERVICE_RESOLVED + 1, 0.6, t("whatif.gartner-mark", lang), fontsize=9,
            color="#333333")
    current = self_service_cost(resolved)
    ax.plot([100 * resolved], [current], "o", color="#000000", markersize=8, zorder=4)
    ax.annotate(_tex(t("whatif.point", lang, resolved=round(100 * resolved),
                       cost=_money(current, lang))),
                (100 * resolved, current), xytext=(12, -22) if resolved <= 0.6 else (-12, 14),
                ha="left" if resolved <= 0.6 else "right", textcoords="offset points",
                fontsize=10, fontweight="bold")
    ax.set_xlim(0, 100)
    ax.set_ylim(0, 11)
    ax.set_yticks(range(0, 10))
    ax.set_xlabel(t("whatif.xlabel", lang))
    ax.set_ylabel(t("whatif.ylabel", lang))
    ax.set_title(_wrap(t("whatif.title", lang), 80), loc="left", fontsize=12)
    ax.legend(loc="upper right", frameon=False, fontsize=9)
    fig.text(0.01, 0.01, _tex(t("whatif.source", lang)), ha="left", va="bottom", fontsize=8,
             style="italic", color="#444444")
    fig.tight_layout(rect=(0, 0.04, 1, 1))
    return charts.describe(fig, self_service_alt(resolved, lang))


def self_service_alt(resolved: float = SELF_SERVICE_RESOLVED, lang: str | None = None) -> str:
    """Alt text for :func:`self_service_chart`."""
    return t("whatif.alt", lang, resolved=round(100 * resolved),
             cost=_money(self_service_cost(resolved), lang), live=_money(LIVE_CONTACT_COST, lang),
             none=_money(self_service_cost(0.0), lang),
             all=_money(self_service_cost(1.0), lang))


def self_service_what_if(lang: str | None = None, resolved: float = SELF_SERVICE_RESOLVED):
    """A slider for the share of issues self-service fully resolves; the cost per issue
    and the chart update in place (``.cost`` holds the current cost per issue)."""
    import ipywidgets as w

    lang = check_language(lang)

    class SelfServiceWhatIf(w.VBox):
        """The what-if widget; ``cost`` is the cost per issue currently shown."""

    slider = w.IntSlider(value=round(100 * resolved), min=0, max=100, step=1,
                         description=t("whatif.slider", lang), continuous_update=False)
    slider.style.description_width = "initial"
    slider.layout.width = "460px"
    line = w.HTML()
    picture = w.HTML()
    box = SelfServiceWhatIf([slider, line, picture])
    box.slider = slider

    def update(_change=None) -> None:
        share = slider.value / 100
        box.cost = round(self_service_cost(share), 2)
        line.value = "<p>" + html.escape(t(
            "whatif.line", lang, resolved=slider.value, cost=_money(box.cost, lang),
            saving=_money(LIVE_CONTACT_COST - box.cost, lang))) + "</p>"
        picture.value = charts.img_tag(self_service_chart(share, lang),
                                  self_service_alt(share, lang))

    slider.observe(update, names="value")
    update()
    return box
