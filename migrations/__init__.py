"""Alembic migrations; shipped as a package so `blogimport db upgrade` finds them wherever it is installed."""
