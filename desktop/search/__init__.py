"""Search over the local store: a search box with results (``TicketSearch``) and a lazily paged ticket model
(``TicketPageModel``) the ticket list can use for 200,000 tickets."""

from desktop.search.model import TicketPageModel
from desktop.search.widget import TicketSearch

__all__ = ["TicketPageModel", "TicketSearch"]
