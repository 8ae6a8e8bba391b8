"""HTTP API and browser dashboard (needs the ``web`` extra: ``pip install ftalab[web]``).

:func:`create_app` builds one FastAPI app: a JSON API under ``/api`` (its
OpenAPI contract at ``/openapi.json``) and a dashboard at ``/``. Serve it with
``ftalab web serve``.
"""

from __future__ import annotations

__all__ = ["create_app"]


def __getattr__(name: str):  # lazy: fastapi loads only when the app is built
    if name == "create_app":
        from ftalab.web.app import create_app

        return create_app
    raise AttributeError(f"module 'ftalab.web' has no attribute {name!r}")
