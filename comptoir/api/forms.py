from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from comptoir.cycles.models import OrderCycle
from comptoir.cycles.selectors import cycles_for_distributor
from comptoir.enterprises.models import Enterprise
from comptoir.enterprises.selectors import managed_hubs, scope_for

MAX_FILE_BYTES = 5 * 1024 * 1024


class CycleChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{obj.name} ({obj.get_status_display()})"


class ImportForm(forms.Form):
    """The CSV file and where its orders go: distributor, cycle, platform."""

    file = forms.FileField(
        label=_("CSV file"),
        help_text=_("One row per line; “;” or “,” separators, UTF-8 or Excel."),
    )
    distributor: forms.ModelChoiceField = forms.ModelChoiceField(
        label=_("Distributor"),
        queryset=Enterprise.objects.none(),
        empty_label=_("Choose a distributor"),
    )
    order_cycle = CycleChoiceField(
        label=_("Order cycle"),
        queryset=OrderCycle.objects.none(),
        empty_label=_("Choose an order cycle"),
    )
    platform = forms.CharField(
        label=_("Platform"),
        max_length=80,
        help_text=_("Where the orders were taken, such as Cagette or a web shop."),
    )
    dry_run = forms.BooleanField(
        label=_("Dry run: check the file and write nothing"), required=False
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        distributor = self.fields["distributor"]
        cycle = self.fields["order_cycle"]
        assert isinstance(distributor, forms.ModelChoiceField)
        assert isinstance(cycle, forms.ModelChoiceField)
        distributor.queryset = managed_hubs(user).order_by("name")
        cycle.queryset = scope_for(user, OrderCycle.objects.all()).order_by(
            "-opens_at", "name"
        )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_FILE_BYTES:
            raise forms.ValidationError(
                _("The file is larger than %(max)s MB: split it."),
                code="too_large",
                params={"max": MAX_FILE_BYTES // (1024 * 1024)},
            )
        self.cleaned_data["content"] = upload.read()
        return upload

    def clean(self):
        cleaned = super().clean() or {}
        distributor = cleaned.get("distributor")
        cycle = cleaned.get("order_cycle")
        if distributor is not None and cycle is not None:
            supplied = cycles_for_distributor(
                self.user, distributor=distributor, now=timezone.now()
            )
            if not supplied.filter(pk=cycle.pk).exists():
                self.add_error(
                    "order_cycle",
                    forms.ValidationError(
                        _("%(cycle)s does not supply %(distributor)s."),
                        code="not_supplied",
                        params={"cycle": cycle.name, "distributor": distributor.name},
                    ),
                )
        return cleaned
