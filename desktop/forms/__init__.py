"""The forms area: SOP work-form records (dynamic form view built from the template) and the plan calendar."""
