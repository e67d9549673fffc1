"""Report drafting (operations, security, service) and security-event grading with reporting deadlines."""
