"""GraphiQL served by the service itself: the page (`page.py`), its vendored assets
(`static/`, listed with their sha512 in `static/manifest.json`) and their route
(`routes.py`); no request leaves the host."""
