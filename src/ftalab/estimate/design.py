"""Turn a parsed formula and a DataFrame into arrays: outcome, regressors, fixed-effect codes.

Also decides which rows are used and records, for every row left out, why:
missing or non-finite values, ``log()`` of a non-positive number, singleton
fixed-effect groups, and (Poisson) groups whose outcome is zero throughout,
which are separated by the fixed effects (Correia, Guimaraes & Zylkin 2020).
The caller's DataFrame is never modified.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from numba import njit

from ftalab.errors import EstimationError, FormulaError
from ftalab.estimate.formula import Formula, Term

__all__ = [
    "Design",
    "FixedEffects",
    "DROP_MISSING",
    "DROP_LOG",
    "DROP_SINGLETON",
    "DROP_FE_SEPARATED",
    "DROP_REGRESSOR_SEPARATED",
    "build_design",
    "encode_fixed_effects",
    "prune_fixed_effects",
    "subset_design",
]

DROP_MISSING = "missing or non-finite value"
DROP_LOG = "log() of a non-positive value"
DROP_SINGLETON = "singleton fixed-effect group"
DROP_FE_SEPARATED = "separated by fixed effects (outcome zero throughout a group)"
DROP_REGRESSOR_SEPARATED = "separated by regressors"


@dataclass(frozen=True)
class FixedEffects:
    """Fixed-effect codes of the estimation sample.

    ``codes[i, k]`` is the global position (0..n_levels-1) of row ``i``'s level
    in dimension ``k``; dimension ``k`` owns positions ``offsets[k]:offsets[k+1]``.
    """

    names: tuple[str, ...]
    codes: np.ndarray
    offsets: np.ndarray
    levels: tuple[pd.Index, ...]

    @property
    def n_levels(self) -> int:
        return int(self.offsets[-1])

    @property
    def sizes(self) -> list[int]:
        return [int(b - a) for a, b in zip(self.offsets[:-1], self.offsets[1:])]


@dataclass
class Design:
    """Arrays of the estimation sample plus the bookkeeping of dropped rows."""

    y: np.ndarray
    X: np.ndarray
    coef_names: list[str]
    fe: FixedEffects | None
    offset: np.ndarray | None
    positions: np.ndarray  # positions (0..n_input-1) of used rows in the input
    n_input: int
    index: pd.Index  # the caller's row labels
    dropped: dict[str, np.ndarray] = field(default_factory=dict)  # reason -> positions
    extra: dict[str, np.ndarray] = field(default_factory=dict)  # e.g. cluster columns, used rows

    def mask(self) -> np.ndarray:
        """Boolean mask over the input rows: True for rows in the estimation sample."""
        m = np.zeros(self.n_input, dtype=bool)
        m[self.positions] = True
        return m


def _check_columns(data: pd.DataFrame, cols: list[str]) -> None:
    missing = [c for c in cols if c not in data.columns]
    if missing:
        hints = []
        for c in missing:
            close = difflib.get_close_matches(c, [str(x) for x in data.columns], n=1)
            hints.append(f"{c!r}" + (f" (did you mean {close[0]!r}?)" if close else ""))
        raise FormulaError(
            "the formula names columns that are not in the data: " + ", ".join(hints)
        )


def _numeric(data: pd.DataFrame, col: str) -> np.ndarray:
    s = data[col]
    if s.dtype == bool or pd.api.types.is_bool_dtype(s.dtype):
        return s.astype("float64").to_numpy()
    if not pd.api.types.is_numeric_dtype(s.dtype):
        raise FormulaError(
            f"column {col!r} is not numeric (dtype {s.dtype}); use it as a fixed effect "
            f"(after '|') or as dummies with i({col})"
        )
    return pd.to_numeric(s, errors="coerce").astype("float64").to_numpy(na_value=np.nan)


def _eval_term(data: pd.DataFrame, t: Term, bad_log: np.ndarray) -> tuple[list[str], list[np.ndarray]]:
    if t.kind == "col":
        return [t.name], [_numeric(data, t.column or "")]
    if t.kind == "log":
        v = _numeric(data, t.column or "")
        with np.errstate(divide="ignore", invalid="ignore"):
            bad_log |= v <= 0
            out = np.where(v > 0, np.log(np.where(v > 0, v, 1.0)), np.nan)
        return [t.name], [out]
    if t.kind == "prod":
        out = np.ones(len(data))
        for p in t.parts:
            _, vals = _eval_term(data, p, bad_log)
            out = out * vals[0]
        return [t.name], [out]
    # i(factor[, var], ref=)
    f = data[t.factor]
    levels = pd.Index(pd.unique(f.dropna())).sort_values()
    var = _numeric(data, t.var) if t.var else None
    names, cols = [], []
    for lev in levels:
        if t.ref is not None and str(lev) in (t.ref, str(_maybe_num(t.ref))):
            continue
        d = (f == lev).to_numpy(dtype=float, na_value=np.nan)
        d[f.isna().to_numpy()] = np.nan
        shown = int(lev) if isinstance(lev, float) and lev.is_integer() else lev
        names.append(f"{t.factor}::{shown}" + (f":{t.var}" if t.var else ""))
        cols.append(d * var if var is not None else d)
    return names, cols


def _maybe_num(text: str) -> object:
    try:
        v = float(text)
        return v if not v.is_integer() else float(int(v))
    except ValueError:
        return text


def encode_fixed_effects(data: pd.DataFrame, groups: tuple[tuple[str, ...], ...]) -> list[tuple[np.ndarray, pd.Index]]:
    """Local integer codes (``-1`` for missing) and level labels for each fixed effect."""
    out = []
    for g in groups:
        if len(g) == 1:
            codes, uniq = pd.factorize(data[g[0]], sort=True)
            out.append((codes.astype(np.int64), pd.Index(uniq, name=g[0])))
            continue
        parts = [pd.factorize(data[c], sort=True) for c in g]
        combo = np.zeros(len(data), dtype=np.int64)
        bad = np.zeros(len(data), dtype=bool)
        for codes, uniq in parts:
            bad |= codes < 0
            combo = combo * max(len(uniq), 1) + np.maximum(codes, 0)
        combo[bad] = -1
        codes, uniq = pd.factorize(combo, sort=True)
        keep = uniq >= 0
        # rebuild each component's label from the combined code
        comp = []
        rem = np.asarray(uniq[keep], dtype=np.int64)
        for codes_c, uniq_c in reversed(parts):
            n = max(len(uniq_c), 1)
            comp.append(np.asarray(uniq_c)[rem % n])
            rem = rem // n
        comp.reverse()
        if not keep.all():  # factorize sorted -1 first
            codes = codes - 1
        codes[combo < 0] = -1
        out.append((codes.astype(np.int64), pd.MultiIndex.from_arrays(comp, names=list(g))))
    return out


def prune_fixed_effects(
    local_codes: list[np.ndarray],
    y: np.ndarray,
    keep: np.ndarray,
    poisson: bool,
    *,
    singletons: bool = True,
) -> dict[str, np.ndarray]:
    """Drop singleton groups and (Poisson) all-zero groups until none is left.

    ``keep`` is updated in place; returns reason -> positions newly dropped.
    """
    dropped: dict[str, list[np.ndarray]] = {DROP_SINGLETON: [], DROP_FE_SEPARATED: []}
    yf = np.ascontiguousarray(y, dtype=np.float64)
    changed = True
    while changed:
        changed = False
        for codes in local_codes:
            n_lev = int(codes.max()) + 1 if len(codes) else 0
            single, zero = _prune_pass(
                np.ascontiguousarray(codes, dtype=np.int64), yf, keep, n_lev, singletons, poisson
            )
            if len(single) or len(zero):
                dropped[DROP_SINGLETON].append(single)
                dropped[DROP_FE_SEPARATED].append(zero)
                keep[single] = False
                keep[zero] = False
                changed = True
    return {k: np.concatenate(v) for k, v in dropped.items() if v and sum(len(a) for a in v)}


@njit(cache=True)
def _prune_pass(codes, y, keep, n_lev, singletons, poisson):
    # positions (ascending) of kept rows in singleton groups, and (Poisson) of kept rows in
    # other groups whose outcome is zero throughout (y >= 0, so a zero total means all zero)
    n = codes.shape[0]
    counts = np.zeros(n_lev, dtype=np.int64)
    ysum = np.zeros(n_lev)
    for i in range(n):
        if keep[i]:
            counts[codes[i]] += 1
            ysum[codes[i]] += y[i]
    ns = 0
    nz = 0
    for i in range(n):
        if keep[i]:
            one = singletons and counts[codes[i]] == 1
            if one:
                ns += 1
            elif poisson and ysum[codes[i]] <= 0:
                nz += 1
    single = np.empty(ns, dtype=np.int64)
    zero = np.empty(nz, dtype=np.int64)
    ns = 0
    nz = 0
    for i in range(n):
        if keep[i]:
            one = singletons and counts[codes[i]] == 1
            if one:
                single[ns] = i
                ns += 1
            elif poisson and ysum[codes[i]] <= 0:
                zero[nz] = i
                nz += 1
    return single, zero


def _finalise_fe(names, local_codes, levels, rows) -> FixedEffects:
    cols, offs, levs = [], [0], []
    for codes, lev in zip(local_codes, levels):
        c = codes[rows]
        # renumber the levels present in the sample 0..m-1 (O(n), keeps the sorted order)
        present = np.bincount(c, minlength=len(lev)) > 0
        newcode = np.cumsum(present) - 1
        cols.append(newcode[c].astype(np.int64) + offs[-1])
        offs.append(offs[-1] + int(present.sum()))
        levs.append(lev[np.flatnonzero(present)])
    return FixedEffects(
        names=tuple(names),
        codes=np.ascontiguousarray(np.column_stack(cols)) if cols else np.zeros((len(rows), 0), np.int64),
        offsets=np.asarray(offs, dtype=np.int64),
        levels=tuple(levs),
    )


def build_design(
    formula: Formula,
    data: pd.DataFrame,
    *,
    poisson: bool,
    offset: str | None = None,
    extra_columns: tuple[str, ...] = (),
    drop_singletons: bool = True,
) -> tuple[Design, list[np.ndarray], list[pd.Index]]:
    """Evaluate ``formula`` on ``data`` and select the estimation sample.

    Returns the design plus the full-length local FE codes and levels (so that
    a later separation step can prune again and rebuild the codes).
    """
    if not isinstance(data, pd.DataFrame):
        raise FormulaError(f"data must be a pandas DataFrame, not {type(data).__name__}")
    cols = formula.columns() + ([offset] if offset else []) + list(extra_columns)
    _check_columns(data, cols)
    n = len(data)
    bad_log = np.zeros(n, dtype=bool)
    _, (y,) = _eval_term(data, formula.lhs, bad_log)
    if poisson:
        neg = np.flatnonzero(np.nan_to_num(y, nan=0.0) < 0)
        if len(neg):
            raise EstimationError(
                f"Poisson regression needs a non-negative outcome; {formula.lhs.name!r} has "
                f"{len(neg)} negative values (first at row {data.index[neg[0]]!r})"
            )
    names: list[str] = []
    xcols: list[np.ndarray] = []
    if formula.intercept:
        names.append("Intercept")
        xcols.append(np.ones(n))
    for t in formula.rhs:
        nm, vals = _eval_term(data, t, bad_log)
        names += nm
        xcols += vals
    X = np.column_stack(xcols) if xcols else np.zeros((n, 0))
    off = _numeric(data, offset) if offset else None
    finite = np.isfinite(y)
    for k in range(X.shape[1]):  # column by column: .all(axis=1) on a narrow array is ~30x slower
        finite &= np.isfinite(X[:, k])
    if off is not None:
        finite &= np.isfinite(off)
    for c in extra_columns:
        finite &= data[c].notna().to_numpy()
    enc = encode_fixed_effects(data, formula.fixed_effects)
    for codes, _ in enc:
        finite &= codes >= 0
    dropped: dict[str, np.ndarray] = {}
    log_rows = np.flatnonzero(bad_log & ~np.isnan(_nan_source(data, formula)))
    if len(log_rows):
        dropped[DROP_LOG] = log_rows
    other = np.flatnonzero(~finite & ~np.isin(np.arange(n), log_rows))
    if len(other):
        dropped[DROP_MISSING] = other
    keep = finite.copy()
    local = [c for c, _ in enc]
    if local:
        dropped.update(prune_fixed_effects(local, y, keep, poisson, singletons=drop_singletons))
    rows = np.flatnonzero(keep)
    design = Design(
        y=y[rows],
        X=np.ascontiguousarray(X[rows]),
        coef_names=names,
        fe=_finalise_fe(formula.fe_names, local, [lv for _, lv in enc], rows) if enc else None,
        offset=off[rows] if off is not None else None,
        positions=rows,
        n_input=n,
        index=data.index,
        dropped=dropped,
    )
    return design, local, [lv for _, lv in enc]


def _nan_source(data: pd.DataFrame, formula: Formula) -> np.ndarray:
    # rows where a log() argument is itself missing count as missing, not as log() of <= 0
    out = np.zeros(len(data))
    for t in (formula.lhs, *formula.rhs):
        for sub in (t.parts if t.kind == "prod" else (t,)):
            if sub.kind == "log":
                v = _numeric(data, sub.column or "")
                out = np.where(np.isnan(v), np.nan, out)
    return out


def subset_design(design: Design, local: list[np.ndarray], levels: list[pd.Index], keep_rows: np.ndarray) -> Design:
    """A copy of ``design`` restricted to input positions ``keep_rows`` (sorted)."""
    sel = np.searchsorted(design.positions, keep_rows)
    fe = None
    if design.fe is not None:
        fe = _finalise_fe(design.fe.names, local, levels, keep_rows)
    return Design(
        y=design.y[sel],
        X=np.ascontiguousarray(design.X[sel]),
        coef_names=list(design.coef_names),
        fe=fe,
        offset=design.offset[sel] if design.offset is not None else None,
        positions=keep_rows,
        n_input=design.n_input,
        index=design.index,
        dropped=dict(design.dropped),
    )
