"""`python -m importer`: the `blogimport` command."""

from importer.launch import main

main()
