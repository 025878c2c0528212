"""Text with java.util.Formatter date/time placeholders, as template campaign names use them.

A placeholder is `%` and one of the `%t` suffix characters (written without the `t`), or
`%%` for a literal percent sign. Generating a campaign expands each at the time of generation.
"""

from __future__ import annotations

from hypothesis import strategies as st

SUFFIXES = "HIklMSLNpzZsQBbhAaCYyjmdeRTrDFc"
# The most characters one placeholder can expand to: `%c` gives "Sun Nov 22 14:09:46 UTC 2026"
# (28) and a zone abbreviation may be a little longer; 40 leaves room for any of them.
MAX_EXPANSION = 40
_PLAIN = st.text(
    st.characters(
        categories=("L", "M", "N", "P", "S"), include_characters=" ", exclude_characters="%"
    ),
    min_size=1,
    max_size=12,
)


def placeholders() -> st.SearchStrategy[str]:
    """One placeholder: `%` and a date/time suffix, or `%%` (a literal `%`)."""
    return st.sampled_from([*(f"%{suffix}" for suffix in SUFFIXES), "%%"])


def expanded_size_bound(text: str) -> int:
    """An upper bound on the length of `text` once its placeholders are expanded."""
    return len(text) + text.count("%") * MAX_EXPANSION


def placeholder_text(prefix: str = "", max_size: int = 128) -> st.SearchStrategy[str]:
    """`prefix`, then printable text interleaved with placeholders.

    Invariants: not blank; every `%` after the prefix belongs to a placeholder (no lone or
    trailing `%`, nothing left to the server's choice); the expansion, and so the text, is
    at most `max_size` characters (`expanded_size_bound`).
    """
    if "%" in prefix or len(prefix) >= max_size:
        raise ValueError(f"prefix {prefix!r} has a '%' or leaves no room in {max_size}")

    def fill(pieces: list[str]) -> str:
        text = prefix
        for piece in pieces:
            if expanded_size_bound(text + piece) > max_size:
                break
            text += piece
        return text

    pieces = st.lists(st.one_of(_PLAIN, placeholders()), min_size=1, max_size=6)
    return pieces.map(fill).filter(str.strip)
