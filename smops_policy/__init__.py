"""smops-policy: publish versioned, translated, diffable and provable legal policies with mkdocs."""

from __future__ import annotations

__all__ = ["__version__"]
__version__ = "0.1.0"
