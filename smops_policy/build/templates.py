"""Text from the content as the theme's Jinja templates must get it."""

from __future__ import annotations

import markupsafe

__all__ = ["theme_text"]


def theme_text(text: str) -> markupsafe.Markup:
    """Text from the content (a title, a Site's name, a summary) as the theme's templates must get it.

    mkdocs renders themes without autoescaping and mkdocs-material prints most of these values as they
    are (`<title>`, the header, the navigation, `<meta name="description">`), a few through `|e`. Escaped
    once and marked as markup, the text shows exactly as written in both: `|e` leaves markup as it is.
    """
    return markupsafe.escape(text)
