"""Load, scale and chaos runs that print figures; `benchmarks/run_all.py` regenerates docs/results.md."""
