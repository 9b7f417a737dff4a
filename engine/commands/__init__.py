"""The command line (``python -m engine``) and the headless benchmarks."""
