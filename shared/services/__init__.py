"""Use cases. Writes take a ChangeSet (one transaction with its outbox entries); reads take a
Session. Everything returned is plain data (dicts), never ORM objects, so results can cross
threads and processes."""
