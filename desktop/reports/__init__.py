"""The reports area (报表): KPI dashboard with drill-down, periodic reports, and the big screen."""
