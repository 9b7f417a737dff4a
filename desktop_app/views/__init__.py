"""Views: widgets that render engine snapshots."""
