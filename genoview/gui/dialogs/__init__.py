"""Modal dialogs: predict, export options, and others the main window opens."""
