"""Fee labels in the order's language.

The pricing package cannot use Django's translation machinery, and a label is
written in the order's language (the buyer's), not the manager's, so the few
words it needs live here.
"""

from comptoir.pricing.inputs import Role

_ROLE_WORDS: dict[str, dict[Role, str]] = {
    "fr": {
        Role.SUPPLIER: "marge fournisseur",
        Role.DISTRIBUTOR: "marge distributeur",
        Role.COORDINATOR: "marge coordinateur",
    },
    "en": {
        Role.SUPPLIER: "supplier fee",
        Role.DISTRIBUTOR: "distributor fee",
        Role.COORDINATOR: "coordinator fee",
    },
}
# French is the interface's fallback language (DESIGN §5).
_DEFAULT_LANGUAGE = "fr"


def language_of(locale: str) -> str:
    """Return "fr" or "en" for a locale such as "en-GB"; French otherwise."""
    language = locale[:2].lower()
    return language if language in _ROLE_WORDS else _DEFAULT_LANGUAGE


def role_word(*, role: Role, locale: str) -> str:
    """Return the words naming a fee of `role`, e.g. "marge fournisseur"."""
    return _ROLE_WORDS[language_of(locale)][role]


def fee_label(*, fee_name: str, role: Role, enterprise_name: str, locale: str) -> str:
    """Label a per-order fee: "Logistique, marge distributeur Le Panier"."""
    return f"{fee_name}, {role_word(role=role, locale=locale)} {enterprise_name}"


def item_fee_label(*, product_name: str, fee_label: str) -> str:
    """Label a per-item fee: the product, a dash, then the fee's own label."""
    return f"{product_name} – {fee_label}"
