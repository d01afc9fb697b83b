"""``python -m transqa`` is the same as the ``transqa`` command."""

from .cli import main

main(prog_name="transqa")
