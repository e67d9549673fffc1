"""Full-text search over tickets: titles, descriptions, solutions and knowledge articles (tickets of the
``knowledge`` process: symptom, cause, steps, keywords). See ``shared.search.index``."""

from shared.search.index import SearchHit, count_matches, ensure_search_index, search_tickets

__all__ = ["SearchHit", "count_matches", "ensure_search_index", "search_tickets"]
