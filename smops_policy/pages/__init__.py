"""The page plan as plain data and the page bodies, feeds, versions.json and sitemap as pure strings (no I/O)."""
