"""Made-up numbers for teaching, always from a fixed seed and always labelled.

Where no source gives the numbers a chart needs (a cohort table, a funnel), the kit
generates them here, so every run shows the same figures and every figure can say
"illustrative data".
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

ILLUSTRATIVE = "illustrative data, generated with a fixed seed"


def cohort_counts(seed: int, cohorts: int = 6, periods: int = 12, start: int = 1000,
                  retention: float = 0.95, noise: float = 0.01) -> Any:
    """Active customers per monthly cohort and month since joining (a DataFrame).

    Each cohort starts near ``start`` customers and keeps about ``retention`` of them
    each month, with a little seeded noise; later cohorts have fewer months observed.
    """
    import numpy as np
    import pandas as pd

    rng = np.random.default_rng(seed)
    rows = {}
    for c in range(cohorts):
        size = int(round(start * (1 + rng.normal(0, 0.05))))
        observed = periods - c
        rates = np.clip(retention + rng.normal(0, noise, observed - 1), 0, 1)
        active = [size]
        for r in rates:
            active.append(int(round(active[-1] * r)))
        rows[f"cohort {c + 1}"] = active + [np.nan] * (periods - observed)
    table = pd.DataFrame.from_dict(rows, orient="index", columns=range(periods))
    table.index.name = "cohort"
    table.columns.name = "months since joining"
    table.attrs["label"] = ILLUSTRATIVE
    return table


def funnel_counts(seed: int, stages: Sequence[str], start: int = 100_000,
                  rates: Sequence[float] = (0.3, 0.4, 0.5, 0.6), noise: float = 0.02) -> Any:
    """Customers reaching each funnel stage (a Series), from seeded step conversion rates."""
    import numpy as np
    import pandas as pd

    if len(rates) != len(stages) - 1:
        raise ValueError("give one rate per step: len(rates) == len(stages) - 1")
    rng = np.random.default_rng(seed)
    counts = [start]
    for r in rates:
        step = float(np.clip(r + rng.normal(0, noise), 0, 1))
        counts.append(int(round(counts[-1] * step)))
    series = pd.Series(counts, index=list(stages), name="customers")
    series.attrs["label"] = ILLUSTRATIVE
    return series


def funnel_branches(seed: int, paying: int, shares: dict[str, float],
                    noise: float = 0.02) -> Any:
    """Of ``paying`` customers, how many fall in each group (a Series), from seeded shares.

    The groups (customers who stay, customers who buy more) are shares of the same paying
    customers: they may overlap, so they are not steps of a chain.
    """
    import numpy as np
    import pandas as pd

    rng = np.random.default_rng(seed + 1)
    counts = [int(round(paying * float(np.clip(s + rng.normal(0, noise), 0, 1))))
              for s in shares.values()]
    series = pd.Series(counts, index=list(shares), name="customers")
    series.attrs["label"] = ILLUSTRATIVE
    return series


def nps_answers(
    seed: int, n: int = 200, promoters: float = 0.5, detractors: float = 0.2
) -> list[int]:
    """Seeded 0-10 survey answers with roughly the given promoter and detractor shares."""
    import numpy as np

    rng = np.random.default_rng(seed)
    groups = rng.choice(3, size=n, p=[promoters, 1 - promoters - detractors, detractors])
    ranges = {0: (9, 11), 1: (7, 9), 2: (0, 7)}
    return [int(rng.integers(*ranges[g])) for g in groups]
