"""Metric formulas against textbook values, for numbers and for pandas objects."""

from __future__ import annotations

import pandas as pd
import pytest

from crkit.core import illustrative, metrics


def test_discounted_clv_textbook_value():
    # Gupta & Lehmann (2003): r = 0.8, i = 0.1 -> 2.67 x margin
    assert metrics.discounted_ltv(1, 0.8, 0.1) == pytest.approx(2.6667, abs=1e-4)
    assert metrics.discounted_ltv(100, 0.8, 0.1) == pytest.approx(266.67, abs=0.01)


def test_finite_horizon_approaches_the_infinite_one():
    finite = metrics.discounted_ltv(1, 0.8, 0.1, periods=200)
    assert finite == pytest.approx(metrics.discounted_ltv(1, 0.8, 0.1))
    assert metrics.discounted_ltv(1, 0.8, 0.1, periods=1) == pytest.approx(0.8 / 1.1)


def test_halving_churn_doubles_simple_ltv():
    assert metrics.simple_ltv(10, 0.05) == pytest.approx(2 * metrics.simple_ltv(10, 0.10))
    assert metrics.simple_ltv(10, 0.05) == pytest.approx(200)


def test_churn_retention_and_annual_conversion():
    assert metrics.churn_rate(20, 1000) == pytest.approx(0.02)
    assert metrics.retention_rate(0.02) == pytest.approx(0.98)
    assert metrics.annual_churn(0.01) == pytest.approx(1 - 0.99**12)
    assert metrics.monthly_churn(metrics.annual_churn(0.0082)) == pytest.approx(0.0082)


def test_cac_ltv_cac_and_payback():
    assert metrics.cac(50_000, 250) == 200
    assert metrics.ltv_to_cac(600, 200) == 3
    assert metrics.cac_payback_months(200, 25) == 8


def test_nps():
    answers = [10, 9, 9, 8, 7, 6, 3, 10, 0, 9]  # 5 promoters, 3 detractors of 10
    assert metrics.nps(answers) == pytest.approx(20)
    assert metrics.nps(pd.Series(answers)) == pytest.approx(20)
    assert metrics.nps_from_shares(0.5, 0.2) == pytest.approx(30)
    with pytest.raises(ValueError):
        metrics.nps([11])


def test_funnel_conversion_for_dicts_and_series():
    counts = {"awareness": 1000, "acquisition": 300, "conversion": 60}
    rates = metrics.funnel_conversion(counts)
    assert rates == {"awareness → acquisition": 0.3, "acquisition → conversion": 0.2}
    series = metrics.funnel_conversion(pd.Series(counts))
    assert list(series.round(3)) == [0.3, 0.2]


def test_cost_to_serve_with_sourced_per_contact_costs():
    # Gartner (2019, via destinationCRM): live $8.01, self-service about $0.10 per contact
    cost = metrics.cost_to_serve({"live": 2, "self-service": 10}, {"live": 8.01,
                                                                   "self-service": 0.10})
    assert cost == pytest.approx(17.02)
    with pytest.raises(ValueError, match="no cost per contact"):
        metrics.cost_to_serve({"fax": 1}, {"live": 8.01})


def test_functions_work_on_pandas_series():
    churn = pd.Series([0.01, 0.02, 0.05])
    ltv = metrics.simple_ltv(30, churn)
    assert list(ltv.round(1)) == [3000.0, 1500.0, 600.0]
    with pytest.raises(ValueError):
        metrics.simple_ltv(30, pd.Series([0.1, 0.0]))


def test_cohort_table_from_events_and_retention():
    events = pd.DataFrame({
        "customer": [1, 1, 1, 2, 2, 3, 3, 3, 4],
        "cohort": ["jan", "jan", "jan", "jan", "jan", "feb", "feb", "feb", "feb"],
        "period": [0, 1, 2, 0, 1, 0, 1, 2, 0],
    })
    counts = metrics.cohort_counts(events)
    assert counts.loc["jan"].tolist() == [2, 2, 1]
    table = metrics.cohort_retention(counts)
    assert table.loc["jan"].tolist() == [1.0, 1.0, 0.5]
    assert table.loc["feb"].tolist() == [1.0, 0.5, 0.5]


def test_illustrative_data_is_seeded_and_labelled():
    a = illustrative.cohort_counts(seed=2012, retention=0.98)
    b = illustrative.cohort_counts(seed=2012, retention=0.98)
    assert a.equals(b)
    assert "illustrative" in a.attrs["label"]
    funnel = illustrative.funnel_counts(7, ["awareness", "acquisition", "conversion"],
                                        rates=[0.3, 0.5])
    assert funnel.iloc[0] == 100_000 and funnel.is_monotonic_decreasing
