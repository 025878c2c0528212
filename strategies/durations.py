"""ISO-8601 durations, as a template's deadlineDuration takes them (P2W, P14D, PT36H, ...)."""

from __future__ import annotations

from hypothesis import strategies as st

_DATE_UNITS = (("Y", 10), ("M", 24), ("D", 400))
_TIME_UNITS = (("H", 72), ("M", 600), ("S", 3600))


def _components(draw: st.DrawFn, units: tuple[tuple[str, int], ...]) -> str:
    return "".join(
        f"{draw(st.integers(1, most))}{unit}" for unit, most in units if draw(st.booleans())
    )


@st.composite
def durations(draw: st.DrawFn) -> str:
    """A non-zero ISO-8601 duration: `PnW` alone, or `P[nY][nM][nD][T[nH][nM][nS]]`.

    Invariants: upper-case designators in the standard's order; whole positive numbers
    without leading zeros; at least one component, and one after any `T`; weeks are never
    mixed with other units (ISO 8601-1 keeps them apart); small enough that now plus the
    duration is a representable date (at most about 13 years).
    """
    if draw(st.integers(0, 3)) == 0:
        return f"P{draw(st.integers(1, 104))}W"
    date = _components(draw, _DATE_UNITS)
    time = _components(draw, _TIME_UNITS)
    if not date and not time:
        date = f"{draw(st.integers(1, 400))}D"
    return "P" + date + (f"T{time}" if time else "")


_MUTATIONS = (
    str.lower,  # designators are upper-case
    lambda d: d.removeprefix("P"),  # no leading P
    lambda d: "-" + d,  # no sign
    lambda d: "+" + d,
    lambda d: d + "T",  # a T with nothing after it
    lambda d: f" {d}",  # no surrounding white space
    lambda d: f"{d} ",
    lambda d: d.replace("1", "1.5", 1) if "1" in d else d + "1.5D",  # no fractions
    lambda d: d + "1Y",  # components out of order, or repeated
)
_FIXED = ("", "P", "PT", "2W", "P1S", "P1H", "PT1D", "P1DT", "P1Y1Y", "P1D2Y", "two weeks", "P١D")


def invalid_durations() -> st.SearchStrategy[str]:
    """Text that is not an ISO-8601 duration: known bad forms, and valid durations broken by
    one change (lower-case, no `P`, a sign, a dangling `T`, white space, a fraction, a
    component out of order)."""
    mutated = st.builds(lambda d, mutate: mutate(d), durations(), st.sampled_from(_MUTATIONS))
    return st.one_of(st.sampled_from(_FIXED), mutated)
