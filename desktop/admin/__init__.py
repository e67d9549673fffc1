"""The Administration area: the province's conflict queue (administrators only)."""
