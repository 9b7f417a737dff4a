"""Saving and opening sessions: the file format, its checks, and writing without damage."""
