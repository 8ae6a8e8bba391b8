"""Several estimation results side by side, as Markdown, LaTeX or HTML (like fixest's etable)."""

from __future__ import annotations

import html
from collections.abc import Sequence
from typing import Literal



from ftalab.errors import EstimationError
from ftalab.estimate.results import EstimationResult

__all__ = ["etable"]


def _stars(p: float) -> str:
    return "***" if p < 0.01 else "**" if p < 0.05 else "*" if p < 0.1 else ""


def _cells(models: Sequence[EstimationResult], digits: int, stars: bool):
    names: list[str] = []
    for m in models:
        for n in m.coef().index:
            if n not in names:
                names.append(n)
    body = []
    for n in names:
        est, se = [], []
        for m in models:
            b, s, p = m.coef(), m.se(), m.pvalue()
            if n in b.index:
                est.append(f"{b[n]:.{digits}f}" + (_stars(float(p[n])) if stars else ""))
                se.append(f"({s[n]:.{digits}f})")
            else:
                est.append("")
                se.append("")
        body.append((n, est, se))
    foot = [
        ("Fixed effects", [", ".join(m.fixef_names) or "-" for m in models]),
        ("Inference", [m.vcov_type for m in models]),
        ("Observations", [f"{m.nobs:,}" for m in models]),
    ]
    return names, body, foot


def etable(
    models: Sequence[EstimationResult] | EstimationResult,
    type: Literal["md", "tex", "html"] = "md",
    *,
    digits: int = 4,
    stars: bool = True,
    labels: Sequence[str] | None = None,
) -> str:
    """Render results side by side: coefficients with standard errors in parentheses.

    Parameters
    ----------
    models : sequence of results
    type : {"md", "tex", "html"}
        Markdown, LaTeX (tabular) or HTML.
    digits : int
        Decimals shown.
    stars : bool
        Significance stars (* 10%, ** 5%, *** 1%).
    labels : sequence of str, optional
        Column headers (default ``(1)``, ``(2)``, ...).

    Returns
    -------
    str
    """
    if isinstance(models, EstimationResult):
        models = [models]
    models = list(models)
    if not models or not all(isinstance(m, EstimationResult) for m in models):
        raise EstimationError("etable needs a list of ftalab estimation results")
    if labels is not None and len(labels) != len(models):
        raise EstimationError(f"etable: {len(labels)} labels for {len(models)} models")
    heads = list(labels) if labels is not None else [f"({i + 1})" for i in range(len(models))]
    deps = [m.formula.split("~")[0].strip() for m in models]
    _, body, foot = _cells(models, digits, stars)
    if type == "md":
        lines = ["| | " + " | ".join(heads) + " |", "|---" * (len(models) + 1) + "|"]
        lines.append("| Dependent | " + " | ".join(deps) + " |")
        for n, est, se in body:
            lines.append(f"| {n} | " + " | ".join(est) + " |")
            lines.append("| | " + " | ".join(se) + " |")
        for k, vals in foot:
            lines.append(f"| {k} | " + " | ".join(vals) + " |")
        return "\n".join(lines) + "\n"
    if type == "tex":
        esc = lambda s: s.replace("\\", r"\textbackslash{}").replace("_", r"\_").replace("%", r"\%").replace("&", r"\&").replace("^", r"\^{}")  # noqa: E731
        lines = [r"\begin{tabular}{l" + "c" * len(models) + "}", r"\hline"]
        lines.append(" & " + " & ".join(esc(h) for h in heads) + r" \\")
        lines.append("Dependent & " + " & ".join(esc(d) for d in deps) + r" \\ \hline")
        for n, est, se in body:
            est_t = [e.replace("***", "$^{***}$") if "***" in e else e.replace("**", "$^{**}$") if "**" in e else e.replace("*", "$^{*}$") for e in est]
            lines.append(esc(n) + " & " + " & ".join(est_t) + r" \\")
            lines.append(" & " + " & ".join(se) + r" \\")
        lines.append(r"\hline")
        for k, vals in foot:
            lines.append(esc(k) + " & " + " & ".join(esc(v) for v in vals) + r" \\")
        lines += [r"\hline", r"\end{tabular}"]
        return "\n".join(lines) + "\n"
    if type == "html":
        e = html.escape
        rows = ["<tr><th></th>" + "".join(f"<th>{e(h)}</th>" for h in heads) + "</tr>"]
        rows.append("<tr><td>Dependent</td>" + "".join(f"<td>{e(d)}</td>" for d in deps) + "</tr>")
        for n, est, se in body:
            rows.append(f"<tr><td>{e(n)}</td>" + "".join(f"<td>{e(x)}</td>" for x in est) + "</tr>")
            rows.append("<tr><td></td>" + "".join(f"<td>{e(x)}</td>" for x in se) + "</tr>")
        for k, vals in foot:
            rows.append(f"<tr><td>{e(k)}</td>" + "".join(f"<td>{e(v)}</td>" for v in vals) + "</tr>")
        return "<table class='ftalab-etable'>" + "".join(rows) + "</table>"
    raise EstimationError(f"etable type must be 'md', 'tex' or 'html', not {type!r}")


