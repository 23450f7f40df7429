"""One module per report section; each exposes ``build(ws, scope) -> Section``."""
