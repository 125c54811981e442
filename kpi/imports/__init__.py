"""Importing monthly targets from an .xlsx laid out as the plan export (docs/targets.md#import)."""
