"""The CMDB engine: class definitions (data), validation, rack positions, impact analysis, the
equipment lifecycle, the 履历 timeline, import/export and auto-collection."""
