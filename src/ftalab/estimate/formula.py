"""fixest-style model formulas: ``y ~ x1 + log(x2) + i(f, x, ref=r) | fe1^fe2 + fe3``.

Grammar (what users of fixest and pyfixest expect)::

    formula   := lhs "~" rhs [ "|" fixed ]
    lhs       := column | log(column)
    rhs       := term ("+" term)*        (also "1", "0", "-1" for the intercept)
    term      := column | log(column) | term ":" term | term "^" term
               | i(factor[, column][, ref=value])
    fixed     := group ("+" group)*      (or "0" for none)
    group     := column ( ("^" | ":") column )*

``a:b`` (or ``a^b``) between regressors is their product; between fixed-effect
columns it is their interaction (one effect per combination of levels).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ftalab.errors import FormulaError

__all__ = ["Term", "Formula", "parse_formula"]

_NAME = re.compile(r"^[A-Za-z_.][A-Za-z0-9_.]*$")
_CALL = re.compile(r"^([A-Za-z_]+)\((.*)\)$", re.S)


@dataclass(frozen=True)
class Term:
    """One regressor expression.

    ``kind`` is ``"col"`` (a column), ``"log"`` (natural log of a column),
    ``"prod"`` (product of ``parts``) or ``"i"`` (dummies for the levels of
    ``factor``, optionally times the column ``var``, without level ``ref``).
    """

    kind: str
    name: str
    column: str | None = None
    parts: tuple["Term", ...] = ()
    factor: str | None = None
    var: str | None = None
    ref: str | None = None

    def columns(self) -> list[str]:
        """Data columns this term reads."""
        if self.kind in ("col", "log"):
            return [self.column or ""]
        if self.kind == "prod":
            return [c for p in self.parts for c in p.columns()]
        return [c for c in (self.factor, self.var) if c]


@dataclass(frozen=True)
class Formula:
    """A parsed model formula."""

    text: str
    lhs: Term
    rhs: tuple[Term, ...]
    fixed_effects: tuple[tuple[str, ...], ...]
    intercept: bool

    @property
    def fe_names(self) -> list[str]:
        """Fixed-effect names as written with ``^`` (e.g. ``exporter^year``)."""
        return ["^".join(g) for g in self.fixed_effects]

    def columns(self) -> list[str]:
        """Every data column the formula reads."""
        cols = self.lhs.columns() + [c for t in self.rhs for c in t.columns()]
        cols += [c for g in self.fixed_effects for c in g]
        return list(dict.fromkeys(cols))


def _split_top(text: str, sep: str) -> list[str]:
    # split on sep outside parentheses
    parts, depth, cur = [], 0, []
    for ch in text:
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
            if depth < 0:
                raise FormulaError(f"unbalanced ')' in {text!r}")
        if ch == sep and depth == 0:
            parts.append("".join(cur))
            cur = []
        else:
            cur.append(ch)
    if depth != 0:
        raise FormulaError(f"unbalanced '(' in {text!r}")
    parts.append("".join(cur))
    return [p.strip() for p in parts]


def _column(text: str, where: str) -> str:
    text = text.strip()
    if len(text) >= 2 and text[0] == text[-1] == "`":
        return text[1:-1]
    if not _NAME.match(text):
        raise FormulaError(
            f"cannot read {text!r} in the {where} of the formula: expected a column name, "
            "log(column), i(factor, column) or a product a:b"
        )
    return text


def _parse_i(args: str, raw: str) -> Term:
    pieces = [p.strip() for p in _split_top(args, ",")]
    ref = None
    pos = []
    for p in pieces:
        if p.startswith("ref"):
            key, _, val = p.partition("=")
            if key.strip() != "ref" or not val.strip():
                raise FormulaError(f"in {raw!r}: write the reference level as ref=value")
            ref = val.strip().strip("'\"")
        else:
            pos.append(p)
    if not 1 <= len(pos) <= 2:
        raise FormulaError(f"{raw!r}: i() takes a factor column and optionally a numeric column")
    factor = _column(pos[0], "i() term")
    var = _column(pos[1], "i() term") if len(pos) == 2 else None
    return Term(kind="i", name=raw.replace(" ", ""), factor=factor, var=var, ref=ref)


def _parse_term(text: str, where: str = "right-hand side") -> Term:
    text = text.strip()
    if not text:
        raise FormulaError(f"empty term in the {where} of the formula (check for '++' or a trailing '+')")
    for sep in (":", "^"):
        parts = _split_top(text, sep)
        if len(parts) > 1:
            terms = tuple(_parse_term(p, where) for p in parts)
            if any(t.kind == "i" for t in terms):
                raise FormulaError(f"{text!r}: write interactions with a factor as i(factor, column)")
            return Term(kind="prod", name=":".join(t.name for t in terms), parts=terms)
    m = _CALL.match(text)
    if m:
        fn, args = m.group(1), m.group(2)
        if fn == "log":
            col = _column(args, where)
            return Term(kind="log", name=f"log({col})", column=col)
        if fn == "i":
            return _parse_i(args, text)
        raise FormulaError(f"unknown function {fn}() in {text!r}; supported: log(), i()")
    col = _column(text, where)
    return Term(kind="col", name=col, column=col)


def parse_formula(fml: str) -> Formula:
    """Parse a fixest-style formula.

    Parameters
    ----------
    fml : str
        For example ``"trade ~ rta + log(dist) | exporter^year + importer^year + pair"``.

    Returns
    -------
    Formula

    Raises
    ------
    FormulaError
        If the formula cannot be parsed.

    Examples
    --------
    >>> f = parse_formula("trade ~ rta + log(dist) | exp^year + imp:year")
    >>> f.fe_names
    ['exp^year', 'imp^year']
    """
    if not isinstance(fml, str) or "~" not in fml:
        raise FormulaError(f"a formula needs the form 'y ~ x1 + x2 | fe1 + fe2'; got {fml!r}")
    lhs_txt, _, rest = fml.partition("~")
    if "~" in rest:
        raise FormulaError(f"only one '~' is allowed in a formula: {fml!r}")
    bars = _split_top(rest, "|")
    if len(bars) > 2:
        raise FormulaError(f"at most one '|' (before the fixed effects) is allowed: {fml!r}")
    lhs = _parse_term(lhs_txt, "left-hand side")
    if lhs.kind not in ("col", "log"):
        raise FormulaError(f"the left-hand side must be a column or log(column); got {lhs_txt.strip()!r}")
    intercept = True
    rhs: list[Term] = []
    rhs_txt = bars[0]
    # "- 1" / "+ 0" remove the intercept (only meaningful without fixed effects)
    no_const = re.compile(r"-\s*1\s*(?=$|\+)")
    if no_const.search(rhs_txt):
        intercept = False
        rhs_txt = no_const.sub("", rhs_txt)
    for piece in _split_top(rhs_txt, "+"):
        if piece in ("1",):
            continue
        if piece == "0":
            intercept = False
            continue
        if piece == "" and rhs_txt.strip() == "":
            continue
        rhs.append(_parse_term(piece))
    names = [t.name for t in rhs]
    if len(set(names)) != len(names):
        raise FormulaError(f"a regressor appears twice in {fml!r}")
    fes: list[tuple[str, ...]] = []
    if len(bars) == 2:
        fe_txt = bars[1].strip()
        if fe_txt not in ("", "0"):
            for group in _split_top(fe_txt, "+"):
                if not group:
                    raise FormulaError(f"empty fixed effect in {fml!r}")
                cols = tuple(_column(c, "fixed effects") for c in re.split(r"[\^:]", group))
                fes.append(cols)
        elif fe_txt == "":
            raise FormulaError(f"nothing after '|' in {fml!r}; remove the '|' or name fixed effects")
    if len(set(fes)) != len(fes):
        raise FormulaError(f"a fixed effect appears twice in {fml!r}")
    return Formula(
        text=fml, lhs=lhs, rhs=tuple(rhs), fixed_effects=tuple(fes), intercept=intercept and not fes
    )
