"""Output formats: text (rich), json. Each takes the findings and a run summary."""
