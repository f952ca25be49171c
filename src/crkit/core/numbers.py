"""Numbers, amounts and percentages written the way the reader's language writes them.

English writes 1,200.5 and $8.01; Spanish 1.200,5 and 8,01 US$; Portuguese 1.200,5 and
US$ 8,01. The rules come from the Unicode CLDR through Babel (loaded on first use, so
``import crkit`` stays light); the kit only decides how many decimals a figure shows.
"""

from __future__ import annotations

import math
from functools import cache
from typing import Any

#: the kit's language -> the CLDR locale whose conventions it follows
LOCALES = {"en": "en_US", "es": "es", "pt": "pt_BR"}
#: the currency of the kit's amounts (the sources quote US dollars)
CURRENCY = "USD"


@cache
def _locale(lang: str | None) -> Any:
    from babel import Locale

    return Locale.parse(LOCALES.get(str(lang or "en")[:2].lower(), LOCALES["en"]))


def _pattern(digits: int | None, *, trim: bool) -> str:
    if digits is None or digits <= 0:
        return "#,##0"
    return "#,##0." + ("#" if trim else "0") * digits


def number(value: float | int | None, lang: str | None = None, *, digits: int | None = None,
           trim: bool = True) -> str:
    """``value`` with the language's separators: 1,200.5 (en), 1.200,5 (es, pt).

    ``digits`` fixes the decimals (default: up to two, none for whole numbers); ``trim``
    drops trailing zeros (``trim=False`` keeps 8.10). ``None`` and NaN show as "?".
    """
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return "?"
    from babel.numbers import format_decimal

    if digits is None:
        digits = 0 if float(value).is_integer() else 2
    if isinstance(value, float):
        value = round(value, digits) + 0.0  # a tiny float is 0 (and -0.0 shows as 0)
    try:
        return format_decimal(value, format=_pattern(digits, trim=trim), locale=_locale(lang),
                              decimal_quantization=True)
    except ArithmeticError:  # beyond what a decimal context holds: plain digits
        return f"{value:.{digits}f}"


def percent(share: float | None, lang: str | None = None, *, digits: int = 0) -> str:
    """A share (0.25) as a percentage: 25% (en, pt), 25 % (es)."""
    if share is None or (isinstance(share, float) and not math.isfinite(share)):
        return "?"
    from babel.numbers import format_percent

    share = round(float(share), digits + 2) + 0.0
    pattern = _locale(lang).percent_formats[None].pattern.replace(
        "#,##0", _pattern(digits, trim=True))
    return format_percent(share, format=pattern, locale=_locale(lang),
                          decimal_quantization=True)


def money(value: float | None, lang: str | None = None, *, digits: int | None = None) -> str:
    """An amount in US dollars: $1,200 (en), 1.200 US$ (es), US$ 1.200 (pt).

    Amounts under 10 show cents (8.01); larger ones are whole unless ``digits`` says.
    """
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return "?"
    from babel.numbers import format_currency

    if digits is None:
        digits = 2 if abs(value) < 10 and not float(value).is_integer() else 0
    locale = _locale(lang)
    pattern = locale.currency_formats["standard"].pattern.split(";")[0]
    pattern = pattern.replace("#,##0.00", "#,##0" + ("." + "0" * digits if digits else ""))
    return format_currency(value, CURRENCY, format=pattern, locale=locale,
                           currency_digits=False, decimal_quantization=True)


def decimal_separator(lang: str | None = None) -> str:
    """The decimal mark of the language ('.' or ',')."""
    return _locale(lang).number_symbols["latn"]["decimal"]


def quantity(value: float | None, unit: str | None, lang: str | None = None) -> str:
    """A figure with its unit: '0,82 %' (a percentage), '1,65 US$m', '17.000 members'.

    A unit of exactly ``%`` makes the value a percentage in the language's style; a unit
    that starts with ``%`` (``% a month``) sticks to the number; others follow a space.
    """
    if value is None:
        return ""
    unit = (unit or "").strip()
    shown_digits = 0 if float(value).is_integer() else min(
        2, len(f"{value:g}".split(".")[-1]) if "." in f"{value:g}" else 0)
    if unit == "%":
        return percent(value / 100, lang, digits=shown_digits)
    text = number(value, lang, digits=shown_digits)
    if not unit:
        return text
    return f"{text}{unit}" if unit.startswith("%") else f"{text} {unit}"
