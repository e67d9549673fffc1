"""Importers: bring the history of other systems (ServiceNow …) into an ITOps store."""
