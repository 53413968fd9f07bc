import re

from django import template
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe

from werkconferentie.core.i18n import active_content_language, localized, localized_language

register = template.Library()


@register.filter
def loc(obj, field: str) -> str:
    """`{{ event|loc:"title" }}`: the title in the active language (Dutch when there is no translation)."""
    return localized(obj, field)


@register.simple_tag
def loc_lang(obj, field: str) -> str:
    """A ` lang="nl"` attribute when the text shown fell back to another language than the page's (WCAG 3.1.2)."""
    language = localized_language(obj, field)
    if language != active_content_language():
        return format_html(' lang="{}"', language)
    return ""


@register.filter
def paragraphs(text: str):
    """Plain text to HTML paragraphs: blank lines separate paragraphs, **text** is strong. All else is escaped."""
    blocks = [block.strip() for block in re.split(r"\n\s*\n", text or "") if block.strip()]
    html = []
    for block in blocks:
        escaped = escape(block).replace("\n", "<br>")
        escaped = re.sub(r"\*\*(.+?)\*\*", r"<strong>\1</strong>", escaped)
        html.append(f"<p>{escaped}</p>")
    return mark_safe("\n".join(html))
