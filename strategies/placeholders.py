"""Text with java.util.Formatter date/time placeholders, as template names use them."""

from __future__ import annotations

from hypothesis import strategies as st

SUFFIXES = "HIklMSLNpzZsQBbhAaCYyjmdeRTrDFc"
_PLAIN = st.text(
    st.characters(codec="ascii", min_codepoint=32, max_codepoint=126, exclude_characters="%"),
    max_size=12,
)


def placeholders() -> st.SearchStrategy[str]:
    """One placeholder: `%` and a date/time conversion suffix, or `%%` (a literal %)."""
    return st.one_of(st.sampled_from(list(SUFFIXES)).map(lambda c: "%" + c), st.just("%%"))


def placeholder_text() -> st.SearchStrategy[str]:
    """Plain text interleaved with placeholders; never a lone trailing `%`."""
    return st.lists(st.one_of(_PLAIN, placeholders()), min_size=1, max_size=5).map("".join)
