"""The lesson path: lesson files (assets/lessons/*.toml) parsed and checked without Qt,
checks as named predicates over the app's state, and the navigator that walks them."""
