"""`python -m importer`: the `blogimport` command."""

from blogimport.launch import main

main()
