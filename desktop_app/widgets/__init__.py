"""Widgets that are not views: they show no snapshot. The control bar, the one spin box
every typed number goes through, rows of controls that wrap, and the question asked
before training is thrown away."""
