"""The people who handle requests: a union's chair or desk staff, at every level (grassroots union, county,
city, province). Being a union's handler is what gives the role: adding someone puts them in the handler
group (``unionhub.roles``) and lets them into the admin; their rows are the requests the unions they serve
hold or that are assigned to them (the handler paths on the request models)."""

from __future__ import annotations

from django.contrib.auth.models import Group
from django.db import transaction

from casework.models import UnionHandler
from unionhub.models import Role, UnionOrganization
from unionhub.roles import GROUP_NAMES


def handler_group() -> Group:
    group, _created = Group.objects.get_or_create(name=GROUP_NAMES[Role.UNION_HANDLER])
    return group


@transaction.atomic
def union_handler_add(*, union: UnionOrganization, user, is_default: bool = False) -> UnionHandler:
    """Make ``user`` a handler of ``union`` (its desk: ``is_default`` receives new and escalated requests,
    taking over from the union's previous default handler). Idempotent."""
    if is_default:
        UnionHandler.objects.filter(union=union, is_default=True).exclude(user=user).update(is_default=False)
    handler, created = UnionHandler.objects.get_or_create(union=union, user=user, defaults={"is_default": is_default})
    if not created and handler.is_default != is_default:
        handler.is_default = is_default
        handler.full_clean()
        handler.save()
    if not user.is_staff:
        user.is_staff = True
        user.save(update_fields=["is_staff"])
    user.groups.add(handler_group())
    return handler


@transaction.atomic
def union_handler_remove(*, handler: UnionHandler) -> None:
    """Remove one union's handler; the role goes with the last union they served."""
    user = handler.user
    handler.delete()
    if not UnionHandler.objects.filter(user=user).exists():
        user.groups.remove(handler_group())
