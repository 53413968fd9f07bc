"""`{% followup_contacts_kept_until event %}`: the day the follow-up's contacts of an event are erased, for the
privacy statement."""

from django import template

from werkconferentie.followup.privacy import kept_until

register = template.Library()


@register.simple_tag
def followup_contacts_kept_until(event):
    return kept_until(event)
