"""PDF output (reportlab): the embedded Chinese font and shared page furniture."""
