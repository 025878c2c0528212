"""Parser for V3 ``filters`` expressions (a SCIM-like language).

Grammar (operators, keywords and literals are lower-case only)::

    filter    := or_expr
    or_expr   := and_expr ("or" and_expr)*
    and_expr  := unary ("and" unary)*
    unary     := "not" unary | "(" or_expr ")" | primitive
    primitive := FIELD ("pr" | "isnull")
               | FIELD ("in" | "ca") "(" literal ("," literal)* ")"
               | FIELD ("eq" | "ne" | "gt" | "ge" | "lt" | "le" | "sw" | "co") literal
    literal   := STRING | NUMBER | "true" | "false" | "null"
    FIELD     := identifier ("." identifier)*

Strings are double-quoted and support only the escapes ``\\"`` and ``\\\\``. Error positions
are 0-based character offsets into the filter text.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass

from emulator.domain import filter_ast as ast
from emulator.domain.query_errors import QueryError

# Nesting (parentheses and "not") is capped so hostile input cannot exhaust the Python stack.
MAX_NESTING = 50

_KEYWORD_LITERALS: dict[str, ast.Scalar] = {"true": True, "false": False, "null": None}
_OPERATOR_LIST = ", ".join(sorted(ast.PRIMITIVE_OPERATORS))
_LOWER_CASE_WORDS = ast.PRIMITIVE_OPERATORS | {"and", "or", "not", *_KEYWORD_LITERALS}
_TOKEN_RE = re.compile(
    r"(?P<ws>\s+)"
    r"|(?P<lparen>\()"
    r"|(?P<rparen>\))"
    r"|(?P<comma>,)"
    r'|(?P<string>")'
    r"|(?P<number>-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?)"
    r"|(?P<word>[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*)"
)
_ESCAPES = {'"': '"', "\\": "\\"}


@dataclass(frozen=True)
class _Token:
    kind: str  # lparen, rparen, comma, string, number, word or eof
    text: str  # source text (for error messages)
    pos: int
    value: ast.Scalar = None  # decoded value of string and number tokens


def parse_filter(text: str) -> ast.FilterNode:
    """Parse ``text`` into a filter tree; raise ``QueryError("filters", ...)`` if invalid."""
    return _Parser(text).parse()


def _error(message: str) -> QueryError:
    return QueryError("filters", f"Invalid filter: {message}")


def _describe(token: _Token) -> str:
    if token.kind == "eof":
        return "end of expression"
    text = token.text if len(token.text) <= 30 else token.text[:27] + "..."
    return repr(text)


def _tokenize(text: str) -> list[_Token]:
    tokens: list[_Token] = []
    pos = 0
    while pos < len(text):
        match = _TOKEN_RE.match(text, pos)
        if match is None:
            raise _error(f"at position {pos}: unexpected character {text[pos]!r}")
        kind = match.lastgroup or ""
        if kind == "string":
            tokens.append(_read_string(text, pos))
            pos = tokens[-1].pos + len(tokens[-1].text)
            continue
        if kind == "number":
            tokens.append(_Token(kind, match.group(), pos, _number(match.group(), pos)))
        elif kind != "ws":
            tokens.append(_Token(kind, match.group(), pos))
        pos = match.end()
    tokens.append(_Token("eof", "", len(text)))
    return tokens


def _read_string(text: str, start: int) -> _Token:
    chars: list[str] = []
    pos = start + 1
    while pos < len(text):
        char = text[pos]
        if char == '"':
            return _Token("string", text[start : pos + 1], start, "".join(chars))
        if char == "\\":
            escaped = text[pos + 1 : pos + 2]
            if escaped not in _ESCAPES:
                shown = repr(escaped) if escaped else "end of expression"
                raise _error(
                    f"at position {pos}: invalid escape; a backslash must be followed by "
                    f"'\"' or '\\\\', found {shown}"
                )
            chars.append(_ESCAPES[escaped])
            pos += 2
            continue
        chars.append(char)
        pos += 1
    raise _error(f"at position {start}: unterminated string")


def _number(text: str, pos: int) -> int | float:
    try:
        value: int | float = float(text) if any(c in text for c in ".eE") else int(text)
    except ValueError:  # int() refuses absurdly long digit strings
        raise _error(f"at position {pos}: the number is too long") from None
    if isinstance(value, float) and not math.isfinite(value):
        raise _error(f"at position {pos}: the number is out of range")
    return value


class _Parser:
    """Recursive-descent parser over the token list; one instance per parse."""

    def __init__(self, text: str) -> None:
        self._tokens = _tokenize(text)
        self._index = 0
        self._depth = 0

    def parse(self) -> ast.FilterNode:
        if self._peek().kind == "eof":
            raise _error("the filter expression is empty")
        node = self._or_expr()
        self._expect_end()
        return node

    def _peek(self) -> _Token:
        return self._tokens[self._index]

    def _next(self) -> _Token:
        token = self._tokens[self._index]
        if token.kind != "eof":
            self._index += 1
        return token

    def _at_keyword(self, keyword: str) -> bool:
        token = self._peek()
        return token.kind == "word" and token.text == keyword

    def _fail(self, expected: str, token: _Token) -> QueryError:
        hint = ""
        if token.kind == "word" and token.text != token.text.lower():
            lowered = token.text.lower()
            if lowered in _LOWER_CASE_WORDS:
                hint = f" (operators and keywords are lower-case: use '{lowered}')"
        found = _describe(token)
        return _error(f"at position {token.pos}: expected {expected}, found {found}{hint}")

    def _expect_end(self) -> None:
        token = self._peek()
        if token.kind != "eof":
            raise self._fail("'and', 'or' or the end of the expression", token)

    def _or_expr(self) -> ast.FilterNode:
        return self._joined("or", self._and_expr, ast.Or)

    def _and_expr(self) -> ast.FilterNode:
        return self._joined("and", self._unary, ast.And)

    def _joined(
        self,
        keyword: str,
        operand: Callable[[], ast.FilterNode],
        node: type[ast.And] | type[ast.Or],
    ) -> ast.FilterNode:
        """`operand (keyword operand)*`: a lone operand as it is, several joined by `node`."""
        operands = [operand()]
        while self._at_keyword(keyword):
            self._next()
            operands.append(operand())
        return operands[0] if len(operands) == 1 else node(tuple(operands))

    def _unary(self) -> ast.FilterNode:
        token = self._peek()
        if token.kind == "lparen" or (token.kind == "word" and token.text == "not"):
            self._depth += 1
            if self._depth > MAX_NESTING:
                limit = f"the expression nests deeper than {MAX_NESTING} levels"
                raise _error(f"at position {token.pos}: {limit}")
            self._next()
            node = ast.Not(self._unary()) if token.kind == "word" else self._group(token)
            self._depth -= 1
            return node
        if token.kind == "word":
            return self._primitive()
        raise self._fail("a field name, 'not' or '('", token)

    def _group(self, opening: _Token) -> ast.FilterNode:
        node = self._or_expr()
        closing = self._next()
        if closing.kind != "rparen":
            raise self._fail(f"')' to close the '(' at position {opening.pos}", closing)
        return node

    def _primitive(self) -> ast.FilterNode:
        field = self._next().text
        token = self._next()
        op = token.text
        if token.kind != "word" or op not in ast.PRIMITIVE_OPERATORS:
            raise self._fail(f"an operator ({_OPERATOR_LIST}) after field '{field}'", token)
        if op in ast.PRESENCE_OPERATORS:
            return ast.Presence(field, op)
        if op in ast.LIST_OPERATORS:
            return ast.ListComparison(field, op, self._literal_list(op))
        return ast.Comparison(field, op, self._literal())

    def _literal_list(self, op: str) -> tuple[ast.Scalar, ...]:
        opening = self._next()
        if opening.kind != "lparen":
            raise self._fail(f"'(' to start the value list of '{op}'", opening)
        values = [self._literal()]
        while self._peek().kind == "comma":
            self._next()
            values.append(self._literal())
        closing = self._next()
        if closing.kind != "rparen":
            raise self._fail(f"',' or ')' in the value list of '{op}'", closing)
        return tuple(values)

    def _literal(self) -> ast.Scalar:
        token = self._next()
        if token.kind in ("string", "number"):
            return token.value
        if token.kind == "word" and token.text in _KEYWORD_LITERALS:
            return _KEYWORD_LITERALS[token.text]
        raise self._fail("a literal (a double-quoted string, a number, true, false or null)", token)
