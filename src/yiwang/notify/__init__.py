"""The outbox: work that follows a commit, written in the same transaction as its data."""
