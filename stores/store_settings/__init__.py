"""The ops lead's management of the stores (docs/access.md#managing-stores): adding a store, editing
its details, archiving and unarchiving it, and the links to each store's settings pages that other
apps register (registry.py: the reports app's alert thresholds)."""
