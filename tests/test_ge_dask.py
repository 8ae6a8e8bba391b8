"""Monte Carlo on a dask.distributed cluster gives the same numbers as in-process.

DESIGN.md: independent solves run on Dask when a study outgrows one machine;
``monte_carlo`` takes any executor with ``map`` (here a ``Client``).
"""

from __future__ import annotations

import numpy as np
import pytest
from distributed import Client, LocalCluster

from ftalab.ge import monte_carlo
from tests.test_ge_montecarlo import COEF, VCOV, Shock, _world


@pytest.mark.slow
def test_monte_carlo_on_dask_matches_sequential() -> None:
    base, fta = _world()
    seq = monte_carlo(base, draws=30, seed=11, coef=COEF, vcov=VCOV, build_shock=Shock(fta))
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster, Client(cluster) as client:
        par = monte_carlo(base, draws=30, seed=11, coef=COEF, vcov=VCOV, build_shock=Shock(fta),
                          executor=client, chunk_size=8)
    np.testing.assert_array_equal(seq.coef_draws.to_numpy(), par.coef_draws.to_numpy())
    np.testing.assert_allclose(seq.values, par.values, rtol=1e-9, atol=1e-10)
