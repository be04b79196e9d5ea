"""Benchmarks run by `make bench` against throwaway PostgreSQL and Redis (see the Makefile)."""
