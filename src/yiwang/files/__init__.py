"""Uploaded and generated files: checked by content, stored by their SHA-256."""
