"""Integrations with the systems a province already runs: monitoring (alerts → incidents), the company
directory (LDAP / AD sign-in), email and SMS gateways (notifications) and syslog (audit export)."""
