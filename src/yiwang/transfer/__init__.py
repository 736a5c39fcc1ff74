"""Import and export of the catalogue and the halls, as CSV and JSON files."""
