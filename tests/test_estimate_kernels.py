"""Numerical kernels: the dense gravity layout agrees with the general one."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ftalab.estimate.dense import DenseGravityFE, GeneralFE, detect_gravity_layout
from ftalab.estimate.design import encode_fixed_effects


def _grid(seed: int = 0, T: int = 4, N: int = 7):
    rng = np.random.default_rng(seed)
    t, i, j = (a.ravel() for a in np.meshgrid(np.arange(T), np.arange(N), np.arange(N), indexing="ij"))
    df = pd.DataFrame({"t": t, "i": i, "j": j})
    keep = rng.uniform(size=len(df)) > 0.1  # unbalanced
    df = df[keep].reset_index(drop=True)
    # heavy domestic cells, and country 0 trading only with itself (a singular block)
    w = np.exp(rng.normal(0, 1, len(df))) * np.where(df["i"] == df["j"], 1e4, 1.0)
    w[((df["i"] == 0) | (df["j"] == 0)) & (df["i"] != df["j"])] = 0.0
    return df, w, rng


def test_dense_partial_out_matches_general() -> None:
    df, w, rng = _grid()
    df = df[w > 0].reset_index(drop=True)
    w = w[w > 0]
    enc = encode_fixed_effects(df, (("i", "t"), ("j", "t"), ("i", "j")))
    offs = np.cumsum([0] + [len(lv) for _, lv in enc])
    codes = np.column_stack([c + o for (c, _), o in zip(enc, offs[:-1])])
    found = detect_gravity_layout((), df, np.arange(len(df)), codes)
    assert found is not None
    _, t, i, j, dims = found
    dense = DenseGravityFE(t, i, j, *dims)
    general = GeneralFE(codes, offs)
    x = rng.normal(size=(len(df), 3))
    r_dense = dense.partial_out_obs(w, x, 1e-12)
    r_gen = general.partial_out_obs(w, x, 1e-12)
    np.testing.assert_allclose(r_dense, r_gen, atol=1e-8)
    # residuals are W-orthogonal to every fixed-effect dummy: weighted group sums vanish
    for d in range(3):
        sums = np.zeros((codes[:, d].max() + 1, 3))
        np.add.at(sums, codes[:, d], w[:, None] * r_dense)
        assert np.abs(sums).max() < 1e-6 * np.abs(w[:, None] * x).sum()
