"""The Advanced Guide panel with the book's variables, shared by the estimation tests."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ftalab.data import fetch_file


def agtpa_panel() -> pd.DataFrame:
    """agtpa_applications, 1986-2006 every 4 years, with exp_year, imp_year, log_dist, intl."""
    d = pd.read_csv(fetch_file("advanced_guide", "agtpa_applications.csv.gz"))
    d = d[d["year"].isin(range(1986, 2007, 4))].copy()
    d["exp_year"] = d["exporter"] + d["year"].astype(int).astype(str)
    d["imp_year"] = d["importer"] + d["year"].astype(int).astype(str)
    d["log_dist"] = np.log(d["dist"])
    d["intl"] = (d["exporter"] != d["importer"]).astype(float)
    return d
