"""Scale and real data (issue 8): ServiceNow import, full-text search, large demo, paging."""
