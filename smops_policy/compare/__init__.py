"""The diff engine, pure: ops, sequence matching, clause pairing, text/JSON and pull-request Markdown output."""
