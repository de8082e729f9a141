"""One file per tab: each builds its widgets, handlers, examples and events with ``create_tab(ctx)``."""
