"""一张表单: one smart form per scenario, prefilled from shared data, pre-checked, submitted."""
