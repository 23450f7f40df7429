"""``python -m advocacy`` runs the CLI."""

from advocacy.present.cli.main import run

run()
