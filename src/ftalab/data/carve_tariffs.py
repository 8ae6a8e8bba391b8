"""Tariffs of a carved sector world, with a source flag per cell.

Rules, in order, for a cell (importer ``i``, exporter ``e``, sector ``s``):

* domestic sales and services: 0 (``domestic_zero``, ``services_zero``);
* ICIO economies among themselves: the cleaned ICIO rates
  (:func:`ftalab.data.icio_tariffs.clean_icio_tariffs`, flag ``icio_cleaned``);
* ``ROW`` as importer: 0, unknown as in the ICIO files (``row_unknown``);
* pairs linked by a free trade agreement, customs union or deeper in the
  registry's agreements in the data year (:func:`ftalab.data.pair_links`):
  0 (``agreement_zero``) — partial-scope partners pay MFN rates;
* KGZ, which applies the EAEU common external tariff, on an ICIO economy:
  BLR's cleaned ICIO rate on that partner and sector (``eaeu_cet_blr``);
* otherwise the importer's WDI most-favoured-nation weighted-mean rate
  (TM.TAX.MRCH.WM.FN.ZS), latest year up to the data year, the same for
  every goods sector (``wdi_mfn_<year>``); an ICIO importer without a WDI
  rate takes the median of its cleaned ICIO rates in that sector
  (``icio_partner_median``).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from ftalab.data.agreements import pair_links
from ftalab.data.groups import members

__all__ = ["carved_tariffs", "latest_mfn"]


def latest_mfn(mfn: pd.DataFrame, year: int) -> dict[str, tuple[float, int]]:
    """Latest WDI MFN weighted-mean rate per economy up to ``year``.

    Parameters
    ----------
    mfn : pandas.DataFrame
        ``iso3, year, tariff_pct`` (from :func:`ftalab.data.readers.wdi.read_wdi_tariffs_2025`).
    year : int
        The data year.

    Returns
    -------
    dict of str to (float, int)
        ISO3 → (rate as a fraction, year of the rate).
    """
    df = mfn.assign(year=pd.to_numeric(mfn["year"]))
    df = df[df["year"] <= year].sort_values("year").groupby("iso3").tail(1)
    return {r.iso3: (float(r.tariff_pct) / 100.0, int(r.year)) for r in df.itertuples()}


def carved_tariffs(
    countries: Sequence[str],
    sectors: Sequence[str],
    services_sector: int,
    icio_countries: Sequence[str],
    icio_tariffs: np.ndarray,
    carve: Sequence[str],
    year: int,
    mfn: dict[str, tuple[float, int]],
) -> tuple[np.ndarray, pd.DataFrame]:
    """Tariffs [sector, importer, exporter] for a world with ``carve`` out of ROW.

    Parameters
    ----------
    countries : sequence of str
        The carved world's economies (ICIO ones, carved ones, ``ROW``).
    sectors : sequence of str
    services_sector : int
    icio_countries : sequence of str
        The ICIO world's economies (incl. ``ROW``), the order of ``icio_tariffs``.
    icio_tariffs : numpy.ndarray
        Cleaned ICIO tariffs, [sector, importer, exporter].
    carve : sequence of str
        The carved economies.
    year : int
        Data year (agreements in force in that year; EAEU membership at its end).
    mfn : dict
        From :func:`latest_mfn`.

    Returns
    -------
    tariffs : numpy.ndarray
        Shape (S, N, N), fractions.
    sources : pandas.DataFrame
        ``importer, exporter, source`` for every pair with a carved economy on
        either side (the goods sectors share the pair's source; services and
        the diagonal are 0).
    """
    countries, carve = list(countries), list(carve)
    n, s_all = len(countries), len(sectors)
    old = {c: i for i, c in enumerate(icio_countries)}
    t = np.zeros((s_all, n, n))
    base = [c for c in countries if c in old and c != "ROW"]
    bi = [countries.index(c) for c in base]
    bo = [old[c] for c in base]
    t[np.ix_(range(s_all), bi, bi)] = icio_tariffs[np.ix_(range(s_all), bo, bo)]
    goods = [k for k in range(s_all) if k != services_sector]
    links = pair_links(year, countries=[c for c in countries if c != "ROW"])
    linked = set(zip(links.loc[links["fta_or_deeper"], "importer"], links.loc[links["fta_or_deeper"], "exporter"]))
    eaeu = set(members("EAEU", f"{int(year)}-12-31"))
    blr = old.get("BLR")
    rows = []
    for c in carve:
        for p in countries:
            if p == c:
                continue
            for i, e in ((c, p), (p, c)):
                ii, ee = countries.index(i), countries.index(e)
                if i == "ROW":
                    source = "row_unknown"
                    rate: float | np.ndarray = 0.0
                elif (i, e) in linked:
                    source, rate = "agreement_zero", 0.0
                elif i in eaeu and i in carve and e in old and e != "ROW" and blr is not None:
                    source, rate = "eaeu_cet_blr", icio_tariffs[goods, blr, old[e]]
                elif i in mfn:
                    value, when = mfn[i]
                    source, rate = f"wdi_mfn_{when}", value
                elif i in old:
                    source = "icio_partner_median"
                    rate = np.median(icio_tariffs[goods, old[i], :], axis=1)
                else:
                    source, rate = "no_rate_zero", 0.0
                t[goods, ii, ee] = rate
                rows.append((i, e, source))
    return t, pd.DataFrame(rows, columns=["importer", "exporter", "source"]).drop_duplicates()
