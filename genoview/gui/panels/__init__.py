"""Dock panels hosted by the main window (evaluation) and small status-bar widgets."""
