"""Readers for official data layouts; each returns canonical tables.

One module per source (``baci``, ``cepii``, ``itpd``, ``wits``, ...). A
registered dataset's reader is called by :func:`ftalab.data.load`; to call a
reader directly, import its module. The package itself exports nothing.
"""

__all__: list[str] = []
