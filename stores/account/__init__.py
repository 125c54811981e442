"""My account (docs/access.md#my-account): every person's own name, email and password, and ending
their other sessions. Django's own password views and validators, in our layout."""
