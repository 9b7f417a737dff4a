"""Plain, typed, Qt-free state of the window's screens: what a lesson step or a saved
file sets, and what the window can be read back as."""
