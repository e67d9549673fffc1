"""The KPI system: the indicator catalogue (data), calculators over the records of every process,
scoring to 0–100 with weighted roll-up, and roll-up across the org tree by numerators and denominators."""
