"""A subscription source's billing data (issue 23, PRODUCT.md §10): its customers, their
subscriptions as the billing platform knows them, and the pauses of those.

From these the analytics (``finance.subscriptions``) compute MRR, its movements, churn,
retention and cohorts. A source without them keeps its hand-typed months
(``SubscriptionPeriod``); the source page says which its figures come from.
"""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from finance.currencies import BASE_CURRENCY_DEFAULT, CURRENCY_CODES
from income.models.fields import CURRENCY_CHOICES, money_field, rate_field
from income.models.sources import IncomeSource

#: The longest billing period a plan may state in units: a daily plan of a year.
INTERVAL_COUNT_HIGH = 365
#: The most units (seats) one subscription may hold.
QUANTITY_HIGH = 1_000_000


class BillingInterval(models.TextChoices):
    """The unit a plan bills in; the values are ``finance.subscriptions.records.Interval``'s."""

    DAY = "day", _("day")
    WEEK = "week", _("week")
    MONTH = "month", _("month")
    YEAR = "year", _("year")


class Customer(models.Model):
    """Someone who subscribes to a source: the billing platform's customer.

    ``external_id`` is the platform's id for them (Stripe's ``cus_…``, an e-mail address,
    a member's name), unique within the source, so that an import recognises them again.
    """

    source = models.ForeignKey(
        IncomeSource, verbose_name=_("source"), on_delete=models.CASCADE, related_name="customers"
    )
    external_id = models.CharField(
        _("customer id"),
        max_length=200,
        help_text=_("The billing platform's id of the customer, or any name unique here."),
    )
    name = models.CharField(_("name"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("customer")
        verbose_name_plural = _("customers")
        ordering = ("external_id", "pk")
        constraints = [
            models.UniqueConstraint(
                fields=("source", "external_id"), name="customer_external_id_unique"
            ),
        ]

    def __str__(self) -> str:
        return self.name or self.external_id


class BillingSubscription(models.Model):
    """One subscription of a customer, as the billing export states it.

    ``amount`` is one unit's price for one billing period (``interval_count`` ×
    ``interval``) before discounts, in ``currency``; ``quantity`` units; ``percent_off``
    then ``amount_off`` (per period) discount it. It pays from ``started`` (or
    ``trial_ends``, after a trial) up to ``ended`` (the day it stopped), except while
    paused. ``cancelled_on`` is when the customer cancelled, possibly before it ended.
    """

    customer = models.ForeignKey(
        Customer,
        verbose_name=_("customer"),
        on_delete=models.CASCADE,
        related_name="subscriptions",
    )
    external_id = models.CharField(
        _("subscription id"),
        max_length=200,
        blank=True,
        help_text=_("The billing platform's id of the subscription, if any."),
    )
    plan = models.CharField(_("plan"), max_length=200, blank=True)
    amount = money_field(
        _("price per period"),
        required=True,
        help_text=_("One unit's price for one billing period, before discounts."),
    )
    currency = models.CharField(
        _("currency"), max_length=3, choices=CURRENCY_CHOICES, default=BASE_CURRENCY_DEFAULT
    )
    interval = models.CharField(
        _("billing interval"),
        max_length=8,
        choices=BillingInterval.choices,
        default=BillingInterval.MONTH,
    )
    interval_count = models.PositiveSmallIntegerField(
        _("intervals per period"),
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(INTERVAL_COUNT_HIGH)],
        help_text=_("3 with a monthly interval bills every three months."),
    )
    quantity = models.PositiveIntegerField(
        _("quantity"), default=1, validators=[MaxValueValidator(QUANTITY_HIGH)]
    )
    percent_off = rate_field(
        _("discount (share)"), default=0, help_text=_("0.2 for 20 % off the price.")
    )
    amount_off = money_field(_("discount (amount per period)"))
    started = models.DateField(_("started"))
    trial_ends = models.DateField(
        _("trial ends"), null=True, blank=True, help_text=_("Blank without a trial.")
    )
    cancelled_on = models.DateField(_("cancelled on"), null=True, blank=True)
    ended = models.DateField(
        _("ended"), null=True, blank=True, help_text=_("The day it stopped; blank while it runs.")
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("billing subscription")
        verbose_name_plural = _("billing subscriptions")
        ordering = ("started", "pk")
        constraints = [
            models.UniqueConstraint(
                fields=("customer", "external_id"),
                condition=~Q(external_id=""),
                name="billing_subscription_external_id_unique",
            ),
            models.CheckConstraint(
                condition=Q(interval__in=BillingInterval.values),
                name="billing_subscription_interval_known",
            ),
            models.CheckConstraint(
                condition=Q(currency__in=CURRENCY_CODES),
                name="billing_subscription_currency_known",
            ),
            models.CheckConstraint(
                condition=Q(amount__gte=0, amount_off__gte=0, percent_off__gte=0)
                & Q(percent_off__lte=1),
                name="billing_subscription_amounts_range",
            ),
            models.CheckConstraint(
                condition=Q(interval_count__gte=1, interval_count__lte=INTERVAL_COUNT_HIGH),
                name="billing_subscription_interval_count_range",
            ),
            models.CheckConstraint(
                condition=Q(ended__isnull=True) | Q(ended__gte=F("started")),
                name="billing_subscription_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.customer} {self.plan or self.amount} {self.started}"


class SubscriptionPause(models.Model):
    """Billing paused from ``starts`` until ``ends`` (the day it resumes; blank: paused
    until further notice). A paused subscription is no MRR while paused."""

    subscription = models.ForeignKey(
        BillingSubscription,
        verbose_name=_("subscription"),
        on_delete=models.CASCADE,
        related_name="pauses",
    )
    starts = models.DateField(_("paused from"))
    ends = models.DateField(_("resumes on"), null=True, blank=True)

    class Meta:
        verbose_name = _("pause")
        verbose_name_plural = _("pauses")
        ordering = ("starts", "pk")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends__isnull=True) | Q(ends__gt=F("starts")),
                name="subscription_pause_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.starts}–{self.ends or ''}"
