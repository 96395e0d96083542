"""``python -m lotone``: the same as the ``lotone`` command."""

from lotone.cli import main

main()
