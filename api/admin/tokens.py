"""API tokens in the admin: a token is made for a staff account (the secret is shown once, in the message after
saving), listed with its prefix, expiry and last use, and revoked with an action. Nothing can be edited."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from api.models import ApiToken
from api.services.tokens import token_check, token_create, token_default_expiry, token_revoke
from unionhub.admin.base import ScopedModelAdmin


class TokenAddForm(forms.ModelForm):
    class Meta:
        model = ApiToken
        fields = ["user", "name", "expires_at"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["expires_at"].initial = token_default_expiry
        self.fields["user"].label_from_instance = lambda user: user.get_full_name() or user.get_username()

    def clean(self):
        data = super().clean()
        try:
            token_check(user=data.get("user"), name=data.get("name") or "", expires_at=data.get("expires_at"))
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                if field not in self.errors:
                    self.add_error(field, errors)
        return data


@admin.register(ApiToken)
class ApiTokenAdmin(ScopedModelAdmin):
    list_display = ["name", "user_display", "prefix", "created_at", "expires_at", "last_used_at", "state"]
    list_select_related = ["user"]
    search_fields = ["name", "prefix"]
    readonly_fields = ["user_display", "name", "prefix", "created_at", "expires_at", "last_used_at", "revoked_at"]
    actions = ["revoke_selected"]
    log_history = True

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is None:
            kwargs["form"] = TokenAddForm
        return super().get_form(request, obj, change, **kwargs)

    def get_fields(self, request, obj=None):
        return ["user", "name", "expires_at"] if obj is None else self.readonly_fields

    def get_readonly_fields(self, request, obj=None):
        return [] if obj is None else self.readonly_fields

    def has_change_permission(self, request, obj=None):
        return False if obj is not None else super().has_change_permission(request, obj)

    @admin.display(description=_("user"), ordering="user__last_name")
    def user_display(self, obj):
        return obj.user.get_full_name() or obj.user.get_username()

    @admin.display(description=_("state"))
    def state(self, obj):
        if obj.revoked_at:
            return gettext("revoked")
        return gettext("active") if obj.expires_at > timezone.now() else gettext("expired")

    def save_model(self, request, obj, form, change):
        if change:
            return
        data = form.cleaned_data
        token, secret = token_create(
            user=data["user"], name=data["name"], expires_at=data["expires_at"], by=request.user
        )
        obj.pk, obj.prefix, obj.digest, obj.created_at = token.pk, token.prefix, token.digest, token.created_at
        obj._state.adding = False
        self.message_user(
            request,
            gettext("The token is %(secret)s - copy it now: it is shown only this once.") % {"secret": secret},
            messages.WARNING,
        )

    @admin.action(description=_("Revoke the selected tokens"), permissions=["delete"])
    def revoke_selected(self, request, queryset):
        count = 0
        for token in queryset.filter(revoked_at__isnull=True):
            token_revoke(token=token)
            count += 1
        self.message_user(request, gettext("%(count)s tokens revoked.") % {"count": count}, messages.SUCCESS)
