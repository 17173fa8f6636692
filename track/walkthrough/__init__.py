"""A chapter's client.py walkthrough: served live, stepped through, printed, recorded, written for Postman."""
