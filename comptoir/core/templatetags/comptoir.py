from django import template

from comptoir.core.money import format_money

register = template.Library()


@register.filter
def money(amount, language=None):
    """Render an amount in the active (or given) language's format."""
    return format_money(amount, language)
