"""The dispatcher's board (调度台): open incidents and requests by support line and team, with SLA state."""
