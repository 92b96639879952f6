"""Text helpers shared by searches."""

import unicodedata


def search_key(text: str) -> str:
    """Fold case and accents, so "comte" finds "Comté"."""
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(char for char in decomposed if not unicodedata.combining(char))
    return " ".join(stripped.lower().split())
