"""Readers of the raw inputs (Wikipedia articles) into the `wikimedia/wikipedia` schema."""
