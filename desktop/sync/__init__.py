"""Synchronisation with the province server: the controller (GUI thread), its worker jobs and the Sync area."""
