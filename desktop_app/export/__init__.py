"""Exports: pictures (PNG, SVG), the data behind a view (CSV) and training animations."""
