"""Models arrive with their own issue; the app is registered so the layout is in place."""
