"""Forms of the manager's new-order flow (DESIGN §1).

Forms check what a user typed and turn it into the values the order services
take; the business rules themselves live in `comptoir.orders.services`.
"""

import re
from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from comptoir.core.money import format_money, parse_amount
from comptoir.customers.models import Address, Customer
from comptoir.cycles.models import OrderCycle
from comptoir.cycles.selectors import cycles_for_distributor
from comptoir.enterprises.models import Enterprise
from comptoir.enterprises.selectors import managed_hubs
from comptoir.fees.models import PaymentMethod, ShippingMethod, TaxCategory

MAX_QUANTITY = 9999
MAX_ADJUSTMENT = Decimal("99999.99")

COUNTRIES = [
    ("FR", _("France")),
    ("BE", _("Belgium")),
    ("CH", _("Switzerland")),
    ("LU", _("Luxembourg")),
    ("DE", _("Germany")),
    ("ES", _("Spain")),
    ("IT", _("Italy")),
    ("NL", _("Netherlands")),
    ("PT", _("Portugal")),
    ("GB", _("United Kingdom")),
    ("IE", _("Ireland")),
    ("AT", _("Austria")),
]
PHONE_PATTERN = re.compile(r"^\+?[0-9 .()\-/]{6,25}$")
FRENCH_POSTCODE = re.compile(r"^[0-9]{5}$")

QUANTITY_MESSAGE = _("Enter a whole number from 1 to 9,999.")


class VersionField(forms.IntegerField):
    """The order version a form was drawn from (DESIGN §6: no silent overwrite)."""

    widget = forms.HiddenInput

    def __init__(self, **kwargs):
        super().__init__(min_value=1, **kwargs)


class AmountField(forms.CharField):
    """An amount typed "26,21" or "26.21"; returns a Decimal rounded to cents."""

    default_error_messages = {
        "invalid": _("Enter an amount such as 12.50."),
        "cents": _("Use at most two decimals."),
    }

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.widget.attrs.update(
            {"inputmode": "decimal", "autocomplete": "off", "maxlength": "20"}
        )

    def to_python(self, value):
        text = super().to_python(value)
        if text in self.empty_values:
            return None
        if len(text) > 20:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        try:
            amount = parse_amount(text)
        except ValueError as error:
            raise forms.ValidationError(
                self.error_messages["invalid"], code="invalid"
            ) from error
        if amount != amount.quantize(Decimal("0.01")):
            raise forms.ValidationError(self.error_messages["cents"], code="cents")
        return amount.quantize(Decimal("0.01"))


def amount_for_input(amount: Decimal, language: str) -> str:
    """Write an amount the way the user types it ("26,21" in French)."""
    text = f"{amount:.2f}"
    return text.replace(".", ",") if language.startswith("fr") else text


class NewOrderForm(forms.Form):
    """Step 1: the distributor and the order cycle (Distributeur, Cycle de vente)."""

    distributor = forms.ModelChoiceField(
        label=_("Distributor"),
        queryset=Enterprise.objects.none(),
        empty_label=_("Choose a distributor"),
        error_messages={"required": _("Choose the distributor of this order.")},
    )
    order_cycle = forms.ModelChoiceField(
        label=_("Order cycle"),
        queryset=OrderCycle.objects.none(),
        empty_label=_("Choose an order cycle"),
        error_messages={
            "required": _("Choose the order cycle of this order."),
            "invalid_choice": _(
                "This order cycle does not supply the chosen distributor."
            ),
        },
    )
    token = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, user, now, **kwargs):
        super().__init__(*args, **kwargs)
        self.now = now
        hubs = managed_hubs(user).order_by("name")
        self.fields["distributor"].queryset = hubs
        self.hubs = list(hubs)
        self.chosen_distributor = self._chosen_distributor()
        if self.chosen_distributor is not None:
            self.fields["order_cycle"].queryset = cycles_for_distributor(
                user, distributor=self.chosen_distributor, now=now
            )

    def _chosen_distributor(self) -> Enterprise | None:
        raw = self.data.get("distributor") if self.is_bound else None
        if raw is None:
            raw = self.initial.get("distributor")
        if raw in (None, "") and len(self.hubs) == 1:
            return self.hubs[0]
        for hub in self.hubs:
            if str(hub.pk) == str(raw):
                return hub
        return None

    def cycle_groups(self) -> list[tuple[str, str, list[OrderCycle]]]:
        """The cycles by status, open first, as the select shows them."""
        if self.chosen_distributor is None:
            return []
        groups: dict[str, list[OrderCycle]] = {status: [] for status in _STATUSES}
        for cycle in self.fields["order_cycle"].queryset:
            groups[cycle.status_at(self.now)].append(cycle)
        return [
            (status, label, groups[status])
            for status, label in _STATUSES.items()
            if groups[status]
        ]

    def chosen_cycle(self) -> OrderCycle | None:
        raw = self.data.get("order_cycle") if self.is_bound else None
        if not raw or self.chosen_distributor is None:
            return None
        for _status, _label, cycles in self.cycle_groups():
            for cycle in cycles:
                if str(cycle.pk) == str(raw):
                    return cycle
        return None


_STATUSES = {
    OrderCycle.Status.OPEN: _("Open"),
    OrderCycle.Status.UPCOMING: _("Upcoming"),
    OrderCycle.Status.CLOSED: _("Closed: late order"),
}


ADDRESS_LABELS = {
    "first_name": _("First name"),
    "last_name": _("Last name"),
    "phone": _("Phone"),
    "address1": _("Address"),
    "address2": _("Address (continued)"),
    "zipcode": _("Postcode"),
    "city": _("City"),
    "country": _("Country"),
}
ADDRESS_AUTOCOMPLETE = {
    "first_name": "given-name",
    "last_name": "family-name",
    "phone": "tel",
    "address1": "address-line1",
    "address2": "address-line2",
    "zipcode": "postal-code",
    "city": "address-level2",
    "country": "country",
}
DELIVERY_FIELDS = ("first_name", "last_name", "address1", "zipcode", "city")


def _address_field(name: str, section: str) -> forms.Field:
    attrs = {"autocomplete": f"{section} {ADDRESS_AUTOCOMPLETE[name]}"}
    label = ADDRESS_LABELS[name]
    if name == "country":
        return forms.ChoiceField(
            label=label,
            choices=COUNTRIES,
            initial="FR",
            required=False,
            widget=forms.Select(attrs=attrs),
        )
    if name == "phone":
        attrs["inputmode"] = "tel"
        return forms.CharField(
            label=label,
            max_length=40,
            required=False,
            widget=forms.TextInput(attrs={**attrs, "type": "tel"}),
        )
    max_length = Address._meta.get_field(name).max_length
    return forms.CharField(
        label=label,
        max_length=max_length,
        required=False,
        widget=forms.TextInput(attrs=attrs),
    )


class CustomerDetailsForm(forms.Form):
    """Step 2: the buyer (Informations acheteur)."""

    customer = forms.ModelChoiceField(
        queryset=Customer.objects.none(),
        required=False,
        widget=forms.HiddenInput,
        error_messages={"invalid_choice": _("This customer is not one of yours.")},
    )
    email = forms.EmailField(
        label=_("E-mail"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        error_messages={
            "required": _("Enter the buyer's e-mail address."),
            "invalid": _("Enter a valid e-mail address, such as name@example.fr."),
        },
    )
    guest = forms.BooleanField(
        label=_("Guest order"),
        required=False,
        help_text=_("No customer record is made for this buyer."),
    )
    same_as_billing = forms.BooleanField(
        label=_("Shipping address same as billing"), required=False
    )
    customer_note = forms.CharField(
        label=_("Customer note"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    internal_note = forms.CharField(
        label=_("Internal note"),
        required=False,
        max_length=2000,
        help_text=_("Seen by managers only."),
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    version = VersionField()

    def __init__(self, *args, order, **kwargs):
        super().__init__(*args, **kwargs)
        self.order = order
        self.fields["customer"].queryset = Customer.objects.filter(
            hub_id=order.distributor_id
        )
        for section in ("bill", "ship"):
            for name in Address.FIELDS:
                field = _address_field(
                    name, "billing" if section == "bill" else "shipping"
                )
                self.fields[f"{section}_{name}"] = field
        required = {
            "bill_first_name": _("Enter the buyer's first name."),
            "bill_last_name": _("Enter the buyer's last name."),
        }
        for name, message in required.items():
            self.fields[name].required = True
            self.fields[name].error_messages["required"] = message

    def section(self, prefix: str) -> list[forms.BoundField]:
        return [self[f"{prefix}_{name}"] for name in Address.FIELDS]

    @property
    def bill_fields(self) -> list[forms.BoundField]:
        return self.section("bill")

    @property
    def ship_fields(self) -> list[forms.BoundField]:
        return self.section("ship")

    def clean(self):
        data = super().clean()
        for section in ("bill", "ship"):
            self._check_phone(f"{section}_phone")
            self._check_postcode(section)
        if not data.get("same_as_billing"):
            for name in ("first_name", "last_name", "address1", "zipcode", "city"):
                if not data.get(f"ship_{name}") and f"ship_{name}" not in self.errors:
                    self.add_error(
                        f"ship_{name}",
                        forms.ValidationError(
                            _("Required for the shipping address."), code="required"
                        ),
                    )
        self._check_delivery(data)
        return data

    def _check_phone(self, name: str) -> None:
        phone = self.cleaned_data.get(name, "")
        if phone and not PHONE_PATTERN.match(phone):
            self.add_error(
                name,
                forms.ValidationError(
                    _("Enter a phone number with digits only, such as 06 12 34 56 78."),
                    code="phone",
                ),
            )

    def _check_postcode(self, section: str) -> None:
        code = self.cleaned_data.get(f"{section}_zipcode", "")
        country = self.cleaned_data.get(f"{section}_country", "")
        if code and country == "FR" and not FRENCH_POSTCODE.match(code):
            self.add_error(
                f"{section}_zipcode",
                forms.ValidationError(
                    _("A French postcode has five digits, such as 69003."),
                    code="postcode",
                ),
            )

    def _check_delivery(self, data) -> None:
        method = self.order.shipping_method
        if method is None or method.kind != ShippingMethod.Kind.DELIVERY:
            return
        section = "bill" if data.get("same_as_billing") else "ship"
        for name in DELIVERY_FIELDS:
            key = f"{section}_{name}"
            if not data.get(key) and key not in self.errors:
                self.add_error(
                    key,
                    forms.ValidationError(
                        _("Required: %(method)s delivers to this address.")
                        % {"method": method.name},
                        code="delivery",
                    ),
                )

    def address(self, section: str) -> dict[str, str]:
        values = {
            name: self.cleaned_data.get(f"{section}_{name}", "")
            for name in Address.FIELDS
        }
        values["country"] = values["country"] or "FR"
        return values


def customer_initial(order) -> dict:
    """The step 2 form's values from what the order already holds."""
    initial: dict = {
        "email": order.email,
        "guest": order.is_guest,
        "customer": order.customer_id,
        "customer_note": order.customer_note,
        "internal_note": order.internal_note,
        "version": order.version,
        "same_as_billing": True,
    }
    bill = order.bill_address
    ship = order.ship_address
    if bill is not None:
        initial.update({f"bill_{k}": v for k, v in bill.as_dict().items()})
    if ship is not None:
        initial.update({f"ship_{k}": v for k, v in ship.as_dict().items()})
        if bill is not None and ship.pk != bill.pk:
            initial["same_as_billing"] = ship.as_dict() == bill.as_dict()
    return initial


class AddLineForm(forms.Form):
    """Step 3: one variant and its quantity."""

    variant = forms.IntegerField(
        widget=forms.HiddenInput,
        error_messages={
            "required": _("Choose a product from the suggestions."),
            "invalid": _("Choose a product from the suggestions."),
        },
    )
    quantity = forms.IntegerField(
        label=_("Quantity"),
        initial=1,
        min_value=1,
        max_value=MAX_QUANTITY,
        error_messages={
            "required": QUANTITY_MESSAGE,
            "invalid": QUANTITY_MESSAGE,
            "min_value": QUANTITY_MESSAGE,
            "max_value": QUANTITY_MESSAGE,
        },
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "class": "qty"}),
    )
    version = VersionField()


class LinesForm(forms.Form):
    """Step 3: every line's quantity, saved at once ("Update and recalculate fees")."""

    version = VersionField()

    def __init__(self, *args, lines, **kwargs):
        super().__init__(*args, **kwargs)
        for line in lines:
            self.fields[f"qty-{line.pk}"] = forms.IntegerField(
                label=_("Quantity of %(product)s") % {"product": line.product_name},
                min_value=1,
                max_value=MAX_QUANTITY,
                initial=line.quantity,
                error_messages={
                    "required": QUANTITY_MESSAGE,
                    "invalid": QUANTITY_MESSAGE,
                    "min_value": QUANTITY_MESSAGE,
                    "max_value": QUANTITY_MESSAGE,
                },
            )

    def quantities(self) -> dict[int, int]:
        return {
            int(name.removeprefix("qty-")): value
            for name, value in self.cleaned_data.items()
            if name.startswith("qty-")
        }


class ShippingMethodForm(forms.Form):
    """Step 4: the shipping method (Méthode de livraison)."""

    shipping_method = forms.ModelChoiceField(
        label=_("Shipping method"),
        queryset=ShippingMethod.objects.none(),
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose a shipping method."),
            "invalid_choice": _("This shipping method is not offered by this hub."),
        },
    )
    version = VersionField()

    def __init__(self, *args, methods, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["shipping_method"].queryset = methods


class AdjustmentForm(forms.Form):
    """Step 5: a manual adjustment such as a commission or a discount."""

    label = forms.CharField(
        label=_("Description"),
        max_length=255,
        error_messages={"required": _("Describe the adjustment, such as Commission.")},
    )
    amount = AmountField(
        label=_("Amount"),
        help_text=_("Negative for a discount, such as -2.00."),
        error_messages={"required": _("Enter an amount such as 12.50.")},
    )
    tax_category = forms.ModelChoiceField(
        label=_("Tax category"),
        queryset=TaxCategory.objects.all(),
        required=False,
        empty_label=_("No tax"),
    )
    version = VersionField()

    def __init__(self, *args, tax_categories=None, **kwargs):
        super().__init__(*args, **kwargs)
        if tax_categories is not None:
            # One list for every form of the page, instead of a query per form.
            self.fields["tax_category"].choices = [
                ("", self.fields["tax_category"].empty_label),
                *((category.pk, str(category)) for category in tax_categories),
            ]

    def clean_amount(self):
        amount = self.cleaned_data["amount"]
        if amount == 0:
            raise forms.ValidationError(
                _("An adjustment of zero changes nothing."), code="zero"
            )
        if abs(amount) > MAX_ADJUSTMENT:
            raise forms.ValidationError(
                _("Enter an amount under %(limit)s.")
                % {"limit": format_money(MAX_ADJUSTMENT)},
                code="too_large",
            )
        return amount


class PaymentForm(forms.Form):
    """Step 6: payment method, amount received and the confirmation e-mail."""

    payment_method = forms.ModelChoiceField(
        label=_("Payment method"),
        queryset=PaymentMethod.objects.none(),
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose a payment method."),
            "invalid_choice": _("This payment method is not offered by this hub."),
        },
    )
    amount = AmountField(
        label=_("Amount received"),
        help_text=_("Enter 0 if the buyer pays later."),
        error_messages={"required": _("Enter the amount received, or 0.")},
    )
    send_confirmation = forms.BooleanField(
        label=_("Send a confirmation e-mail to the buyer"), required=False
    )
    version = VersionField()

    def __init__(self, *args, methods, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["payment_method"].queryset = methods

    def clean_amount(self):
        amount = self.cleaned_data["amount"]
        if amount < 0:
            raise forms.ValidationError(
                _("The amount received cannot be negative."), code="negative"
            )
        if amount > MAX_ADJUSTMENT:
            raise forms.ValidationError(
                _("Enter an amount under %(limit)s.")
                % {"limit": format_money(MAX_ADJUSTMENT)},
                code="too_large",
            )
        return amount


class PaymentMethodForm(forms.Form):
    """Choosing a payment method before placing, so its fee shows at once."""

    payment_method = forms.ModelChoiceField(
        queryset=PaymentMethod.objects.none(),
        error_messages={
            "invalid_choice": _("This payment method is not offered by this hub.")
        },
    )
    version = VersionField()

    def __init__(self, *args, methods, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["payment_method"].queryset = methods
