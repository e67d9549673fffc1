"""The plans tab of the forms area (计划): plan list, create/edit dialog, actions by role, month calendar."""
