"""Offline sync: hybrid logical clocks, change capture, merge rules, wire format, transport."""
