"""One workflow engine; the processes are YAML definitions it reads."""
