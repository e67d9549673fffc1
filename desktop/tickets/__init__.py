"""The tickets area: a list over the local store (SQL paging, sorting, filtering) and a detail pane."""
