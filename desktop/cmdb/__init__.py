"""The CMDB area: CI browser, detail, impact graph, 履历 and lifecycle actions."""
