"""The value every measure returns: the figure and the amount of data behind it.

A lead reading "alpha = 0.81" cannot tell a solid figure from one resting on five blocks,
so each figure travels with its unit count, and an undefined figure (one category only,
nothing to compare) is ``None`` rather than a NaN or an exception.
"""

from __future__ import annotations

import math
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Coefficient:
    """A chance-corrected figure with its parts.

    For alpha, ``observed`` and ``expected`` are *disagreements* (``1 - D_o / D_e``); for
    kappa-type coefficients they are *agreements* (``(p_o - p_e) / (1 - p_e)``), as in the
    sources each follows.
    """

    value: float | None
    n_units: int
    """Units that entered the figure (pairable units: judged by two or more)."""
    n_values: int = 0
    """Judgements that entered the figure (pairable values for alpha)."""
    observed: float | None = None
    expected: float | None = None

    def as_dict(self) -> dict[str, float | int | None]:
        return {
            "value": self.value,
            "n_units": self.n_units,
            "n_values": self.n_values,
            "observed": self.observed,
            "expected": self.expected,
        }


def clean(value: float | None) -> float | None:
    """Turn NumPy scalars into floats and NaN or infinity into ``None``, for JSON."""
    if value is None:
        return None
    number = float(value)
    return number if math.isfinite(number) else None


def ratio(numerator: float, denominator: float) -> float | None:
    """A quotient that is ``None`` when there is nothing to divide by."""
    if denominator == 0:
        return None
    return clean(numerator / denominator)
