"""Relationship metrics as plain functions.

Each function takes numbers, NumPy arrays or pandas Series/DataFrames (the arithmetic
is element-wise), so the same formula serves a worked example and a whole table. Formulas
follow the standard definitions gathered in the kit's research notes; sources are named
in each docstring.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

Number = Any  # a float, or an array-like / pandas object of floats


def _check(ok: Any, message: str) -> None:
    """Raise ``ValueError(message)`` unless ``ok`` holds (for scalars and arrays alike)."""
    if hasattr(ok, "all"):
        ok = bool(ok.all())
    if not ok:
        raise ValueError(message)


def cac(acquisition_spend: Number, new_customers: Number) -> Number:
    """Customer acquisition cost: spend in a period / customers won in it."""
    _check(new_customers > 0, "new_customers must be above 0")
    _check(acquisition_spend >= 0, "acquisition_spend cannot be negative")
    return acquisition_spend / new_customers


def churn_rate(customers_lost: Number, customers_at_start: Number) -> Number:
    """Share of the customers at the start of a period who left during it."""
    _check(customers_at_start > 0, "customers_at_start must be above 0")
    _check((customers_lost >= 0) & (customers_lost <= customers_at_start),
           "customers_lost must be between 0 and customers_at_start")
    return customers_lost / customers_at_start


def retention_rate(churn: Number) -> Number:
    """Retention r = 1 - churn c, for the same period."""
    _check((churn >= 0) & (churn <= 1), "churn must be between 0 and 1")
    return 1 - churn


def annual_churn(monthly_churn: Number) -> Number:
    """Yearly churn from a constant monthly churn: 1 - (1 - c)^12."""
    _check((monthly_churn >= 0) & (monthly_churn <= 1), "monthly_churn must be between 0 and 1")
    return 1 - (1 - monthly_churn) ** 12


def monthly_churn(annual_churn_rate: Number) -> Number:
    """Monthly churn that compounds to a given yearly churn: 1 - (1 - a)^(1/12)."""
    _check((annual_churn_rate >= 0) & (annual_churn_rate <= 1),
           "annual_churn_rate must be between 0 and 1")
    return 1 - (1 - annual_churn_rate) ** (1 / 12)


def simple_ltv(margin_per_period: Number, churn_per_period: Number) -> Number:
    """Simple lifetime value: margin per period / churn per period.

    Halving churn doubles it, which is why retention matters so much.
    """
    _check((churn_per_period > 0) & (churn_per_period <= 1), "churn must be in (0, 1]")
    return margin_per_period / churn_per_period


def discounted_ltv(margin: Number, retention: Number, discount_rate: Number,
                   periods: int | None = None) -> Number:
    """Customer lifetime value with constant retention and discounting.

    Infinite horizon: ``m * r / (1 + i - r)`` (Gupta & Lehmann 2003, "Customers as
    assets"); with r = 0.8 and i = 0.1 it is 2.67 times the margin. With ``periods``, the
    finite sum of ``m * r**t / (1 + i)**t`` for t = 1..periods.

    Parameters
    ----------
    margin : number or array-like
        Margin per customer per period.
    retention : number or array-like
        Share of customers kept each period, between 0 and 1.
    discount_rate : number or array-like
        Discount rate per period (0.1 for 10%).
    periods : int, optional
        Horizon in periods; infinite when omitted.
    """
    _check((retention >= 0) & (retention <= 1), "retention must be between 0 and 1")
    _check(discount_rate > -1, "discount_rate must be above -1")
    if periods is None:
        _check(1 + discount_rate - retention > 0,
               "retention must be below 1 + discount_rate for an infinite horizon")
        return margin * retention / (1 + discount_rate - retention)
    _check(periods >= 0, "periods cannot be negative")
    q = retention / (1 + discount_rate)
    return margin * sum(q**t for t in range(1, periods + 1))


def ltv_to_cac(ltv: Number, acquisition_cost: Number) -> Number:
    """LTV:CAC ratio; 3 or more is a common rule of thumb (Skok, SaaS Metrics 2.0)."""
    _check(acquisition_cost > 0, "acquisition_cost must be above 0")
    return ltv / acquisition_cost


def cac_payback_months(acquisition_cost: Number, monthly_margin: Number) -> Number:
    """Months of margin needed to earn back the acquisition cost (under 12 is the rule)."""
    _check(monthly_margin > 0, "monthly_margin must be above 0")
    return acquisition_cost / monthly_margin


def nps(scores: Iterable[float]) -> float:
    """Net Promoter Score: % promoters (9-10) minus % detractors (0-6) (Reichheld 2003).

    Takes the raw 0-10 answers (a list, array or Series); returns -100 to +100.
    """
    values = list(scores)
    _check(len(values) > 0, "nps needs at least one answer")
    _check(all(0 <= v <= 10 for v in values), "every answer must be between 0 and 10")
    promoters = sum(v >= 9 for v in values)
    detractors = sum(v <= 6 for v in values)
    return 100 * (promoters - detractors) / len(values)


def nps_from_shares(promoters: Number, detractors: Number) -> Number:
    """NPS from the shares (0-1) of promoters and detractors."""
    _check((promoters >= 0) & (detractors >= 0) & (promoters + detractors <= 1),
           "shares must be between 0 and 1 and add up to at most 1")
    return 100 * (promoters - detractors)


def funnel_conversion(counts: Mapping[str, float] | Any) -> Any:
    """Conversion from each funnel stage to the next: reaching k+1 / at k.

    Takes a mapping or a pandas Series of counts in stage order; returns the same kind
    (a dict, or a Series indexed "stage → next stage").
    """
    if hasattr(counts, "index") and hasattr(counts, "to_numpy"):
        import pandas as pd

        values = counts.to_numpy(dtype=float)
        labels = [f"{a} → {b}" for a, b in zip(counts.index[:-1], counts.index[1:])]
        _check((values[:-1] > 0).all(), "every stage but the last needs customers")
        return pd.Series(values[1:] / values[:-1], index=labels, name="conversion")
    items = list(counts.items())
    _check(all(v > 0 for _, v in items[:-1]), "every stage but the last needs customers")
    return {f"{a} → {b}": vb / va for (a, va), (b, vb) in zip(items[:-1], items[1:])}


def cost_to_serve(contacts_per_customer: Mapping[str, float], cost_per_contact: Mapping[str, float]
                  ) -> float:
    """Yearly cost to serve one customer: sum over channels of contacts x cost per contact.

    Parameters
    ----------
    contacts_per_customer : mapping
        Channel -> contacts per customer per year.
    cost_per_contact : mapping
        Channel -> cost of one contact (e.g. live $8.01 and self-service $0.10, Gartner
        2019 via destinationCRM).
    """
    missing = set(contacts_per_customer) - set(cost_per_contact)
    _check(not missing, f"no cost per contact for: {', '.join(sorted(missing))}")
    return sum(n * cost_per_contact[ch] for ch, n in contacts_per_customer.items())


def cohort_retention(counts: Any) -> Any:
    """Cohort retention table: active customers / cohort size, per period since start.

    ``counts`` is a DataFrame with one row per cohort and one column per period since
    the cohort started (period 0 first), holding active customers.
    """
    first = counts.iloc[:, 0]
    _check(first > 0, "every cohort needs customers in its first period")
    return counts.div(first, axis=0)


def cohort_counts(events: Any, cohort: str = "cohort", period: str = "period",
                  customer: str = "customer") -> Any:
    """Active customers per cohort and period, from one row per (customer, active period).

    ``period`` is the number of periods since the customer's cohort started.
    """
    table = events.groupby([cohort, period])[customer].nunique().unstack(period)
    return table.fillna(0).astype(int)
