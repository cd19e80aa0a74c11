"""The `blogimport` console script: signals are recorded first, before click, SQLAlchemy and the rest load, so that a
Ctrl-C in the first moments is an interruption like any other, not a traceback (blogimport.interrupts)."""

from blogimport import interrupts


def main() -> None:
    interrupts.install()
    from blogimport.cli import main as run_command  # loaded after the handlers, on purpose

    run_command()
