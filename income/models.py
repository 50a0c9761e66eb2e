"""Income data. Models hold data, constraints and trivial properties; rules live in services."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from finance.currencies import BASE_CURRENCY_DEFAULT, CURRENCY_CODES
from finance.money import payment_net

CURRENCY_CHOICES = [(code, code) for code in CURRENCY_CODES]
ZERO = Decimal(0)
ONE = Decimal(1)


def money_field(
    verbose_name: StrOrPromise,
    *,
    required: bool = False,
    signed: bool = False,
    **kwargs: object,
) -> models.DecimalField:  # type: ignore[type-arg]
    """An amount: ``DecimalField(max_digits=15, decimal_places=2)`` (PRODUCT.md §7).

    Optional amounts default to zero; a ``required`` one has no default at all. A ``signed``
    amount may be negative (a payment's reversal); its range is a model check constraint.
    """
    if not required:
        kwargs.setdefault("default", ZERO)
    kwargs.setdefault("validators", [] if signed else [MinValueValidator(ZERO)])
    return models.DecimalField(verbose_name, max_digits=15, decimal_places=2, **kwargs)  # type: ignore[arg-type]


def rate_field(
    verbose_name: StrOrPromise, *, low: Decimal = ZERO, high: Decimal = ONE, **kwargs: object
) -> models.DecimalField:  # type: ignore[type-arg]
    """A fraction such as 0.26375 with six decimal places, from ``low`` to ``high``."""
    kwargs.setdefault("validators", [MinValueValidator(low), MaxValueValidator(high)])
    return models.DecimalField(verbose_name, max_digits=10, decimal_places=6, **kwargs)  # type: ignore[arg-type]


def in_active_language(english: str, german: str) -> str:
    """The German text while German is active, else the English one (admin content)."""
    return german if (get_language() or "en").startswith("de") else english


class Localized(models.Model):
    """Admin content written in English and German; shown in the active language."""

    name_en = models.CharField(_("name (English)"), max_length=100)
    name_de = models.CharField(_("name (German)"), max_length=100)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return in_active_language(self.name_en, self.name_de)


class CalculationModel(models.TextChoices):
    CAPITAL = "capital", _("Capital (dividends, interest)")
    RENTAL = "rental", _("Rental property")
    SUBSCRIPTION = "subscription", _("Subscription (MRR, churn)")
    FLAT = "flat", _("Flat monthly amount")


class IncomeCategory(Localized):
    """A kind of income (admin content), shipped by a data migration from the seed."""

    slug = models.SlugField(unique=True)
    is_passive = models.BooleanField(_("passive"), default=True)
    model = models.CharField(
        _("calculation model"), max_length=16, choices=CalculationModel.choices
    )
    help_en = models.TextField(_("help text (English)"), blank=True)
    help_de = models.TextField(_("help text (German)"), blank=True)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("income category")
        verbose_name_plural = _("income categories")
        ordering = ("-is_passive", "sort_order", "slug")

    @property
    def help_text(self) -> str:
        return in_active_language(self.help_en, self.help_de)


class TaxProfile(Localized):
    """A tax rule (admin content): rate, yearly allowance and partial exemption."""

    slug = models.SlugField(unique=True)
    rate = rate_field(_("tax rate"), default=ZERO)
    yearly_allowance = money_field(_("yearly allowance"))
    partial_exemption = rate_field(
        _("partial exemption"),
        default=ZERO,
        help_text=_("Share of the income that is tax-free, e.g. 0.3 for equity funds."),
    )
    is_flat_rate = models.BooleanField(
        _("user's own rate"),
        default=False,
        help_text=_("The source states its own rate; this profile only names the rule."),
    )
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("tax profile")
        verbose_name_plural = _("tax profiles")
        ordering = ("sort_order", "slug")
        constraints = [
            models.CheckConstraint(
                condition=Q(rate__gte=0, rate__lte=1), name="taxprofile_rate_range"
            ),
            models.CheckConstraint(
                condition=Q(partial_exemption__gte=0, partial_exemption__lte=1),
                name="taxprofile_exemption_range",
            ),
            models.CheckConstraint(
                condition=Q(yearly_allowance__gte=0), name="taxprofile_allowance_min"
            ),
        ]


class HelpArticle(models.Model):
    """A help or glossary article (admin content), in English and German.

    The body is plain text, not HTML: paragraphs are separated by blank lines and
    lines starting with "- " are list items. Nothing an admin types is trusted as
    markup; ``income.templatetags.help.help_body`` escapes before it structures.
    """

    slug = models.SlugField(_("slug"), unique=True)
    title_en = models.CharField(_("title (English)"), max_length=200)
    title_de = models.CharField(_("title (German)"), max_length=200)
    summary_en = models.CharField(_("summary (English)"), max_length=300)
    summary_de = models.CharField(_("summary (German)"), max_length=300)
    body_en = models.TextField(
        _("text (English)"),
        help_text=_(
            "Plain text. Separate paragraphs by a blank line; start a line with "
            '"- " for a list item.'
        ),
    )
    body_de = models.TextField(
        _("text (German)"),
        help_text=_(
            "Plain text. Separate paragraphs by a blank line; start a line with "
            '"- " for a list item.'
        ),
    )
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)
    is_published = models.BooleanField(
        _("published"), default=True, help_text=_("Unpublished articles are not shown.")
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("help article")
        verbose_name_plural = _("help articles")
        ordering = ("sort_order", "slug")

    def __str__(self) -> str:
        return self.title

    @property
    def title(self) -> str:
        return in_active_language(self.title_en, self.title_de)

    @property
    def summary(self) -> str:
        return in_active_language(self.summary_en, self.summary_de)

    @property
    def body(self) -> str:
        return in_active_language(self.body_en, self.body_de)


class ExchangeRate(models.Model):
    """ECB convention: units of ``currency`` for one euro on ``date``."""

    date = models.DateField(_("date"))
    currency = models.CharField(_("currency"), max_length=3, choices=CURRENCY_CHOICES)
    rate = models.DecimalField(
        _("rate per EUR"),
        max_digits=18,
        decimal_places=8,
        validators=[MinValueValidator(Decimal("0.00000001"))],
    )

    class Meta:
        verbose_name = _("exchange rate")
        verbose_name_plural = _("exchange rates")
        ordering = ("-date", "currency")
        constraints = [
            models.UniqueConstraint(fields=("currency", "date"), name="exchangerate_unique_day"),
            models.CheckConstraint(condition=Q(rate__gt=0), name="exchangerate_rate_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.date} {self.currency} {self.rate}"


class Theme(models.TextChoices):
    """Light or dark pages; "system" follows the device (``prefers-color-scheme``)."""

    SYSTEM = "system", _("As the device is set")
    LIGHT = "light", _("Light")
    DARK = "dark", _("Dark")


class DateStyle(models.TextChoices):
    """How a day is written (income/date_style.py); "system" is the language's own."""

    SYSTEM = "system", _("As the language writes it (5 Dec 2026 / 05.12.2026)")
    DMY = "dmy", _("Day, month, year in digits (05/12/2026 / 05.12.2026)")
    ISO = "iso", _("ISO 8601 (2026-12-05)")


class Profile(models.Model):
    """Per-user preferences; created together with the user by ``user_register``."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile"
    )
    base_currency = models.CharField(
        _("base currency"),
        max_length=3,
        choices=CURRENCY_CHOICES,
        default=BASE_CURRENCY_DEFAULT,
        help_text=_("All figures are shown in this currency."),
    )
    language = models.CharField(
        _("language"), max_length=8, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE
    )
    monthly_expenses = money_field(
        _("monthly expenses"),
        help_text=_("What you spend a month; passive income covering it means independence."),
    )
    hourly_value = money_field(
        _("value of one hour"),
        help_text=_("What an hour of your time is worth; used to value the hours a source takes."),
    )
    home_country = models.CharField(
        _("home country"),
        max_length=2,
        blank=True,
        validators=[
            RegexValidator(r"^[A-Za-z]{2}$", _("Enter a two-letter country code, e.g. DE."))
        ],
        help_text=_(
            "ISO code, e.g. DE. Income from sources in other countries counts as foreign "
            "exposure in the concentration view."
        ),
    )
    default_tax_profile = models.ForeignKey(
        TaxProfile,
        verbose_name=_("default tax profile"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    weekly_digest = models.BooleanField(
        _("weekly e-mail digest"),
        default=False,
        help_text=_(
            "Once a week: what came in, what is overdue, sources behind plan, and how your "
            "independence month moved."
        ),
    )
    theme = models.CharField(
        _("appearance"),
        max_length=8,
        choices=Theme.choices,
        default=Theme.SYSTEM,
        help_text=_("Light or dark pages; by default as the device is set."),
    )
    date_style = models.CharField(
        _("date style"),
        max_length=8,
        choices=DateStyle.choices,
        default=DateStyle.SYSTEM,
        help_text=_("How dates are written on pages, in CSV exports and in the digest."),
    )
    data_changed_at = models.DateTimeField(
        _("figures changed"),
        null=True,
        blank=True,
        db_index=True,
        editable=False,
        help_text=_("When data behind this user's reports last changed."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("profile")
        verbose_name_plural = _("profiles")
        constraints = [
            models.CheckConstraint(
                condition=Q(base_currency__in=CURRENCY_CODES),
                name="profile_base_currency_known",
            ),
            models.CheckConstraint(
                condition=Q(language__in=[code for code, _name in settings.LANGUAGES]),
                name="profile_language_known",
            ),
            models.CheckConstraint(
                condition=Q(monthly_expenses__gte=0, hourly_value__gte=0),
                name="profile_amounts_non_negative",
            ),
            models.CheckConstraint(condition=Q(theme__in=Theme.values), name="profile_theme_known"),
            models.CheckConstraint(
                condition=Q(date_style__in=DateStyle.values), name="profile_date_style_known"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.base_currency}, {self.language})"


class SourceStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    PAUSED = "paused", _("Paused")
    ENDED = "ended", _("Ended")


class PayoutRhythm(models.TextChoices):
    MONTHLY = "monthly", _("Monthly")
    QUARTERLY = "quarterly", _("Quarterly")
    HALF_YEARLY = "half_yearly", _("Half-yearly")
    YEARLY = "yearly", _("Yearly")
    IRREGULAR = "irregular", _("Irregular")


class IncomeSource(models.Model):
    """Something that pays its owner: an ETF, a flat, an e-book, a membership, a salary."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="income_sources"
    )
    name = models.CharField(_("name"), max_length=120)
    category = models.ForeignKey(
        IncomeCategory, verbose_name=_("category"), on_delete=models.PROTECT, related_name="sources"
    )
    currency = models.CharField(
        _("currency"), max_length=3, choices=CURRENCY_CHOICES, default=BASE_CURRENCY_DEFAULT
    )
    status = models.CharField(
        _("status"), max_length=8, choices=SourceStatus.choices, default=SourceStatus.ACTIVE
    )
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"), null=True, blank=True)
    tax_profile = models.ForeignKey(
        TaxProfile,
        verbose_name=_("tax profile"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="sources",
    )
    tax_rate = rate_field(
        _("own tax rate"),
        null=True,
        blank=True,
        help_text=_("Overrides the tax profile's rate, e.g. 0.15 for 15 %."),
    )
    # capital
    invested_capital = money_field(_("invested capital"))
    expected_yield = rate_field(
        _("expected annual yield"), default=ZERO, low=Decimal("-0.999999"), high=Decimal(10)
    )
    reinvest = models.BooleanField(_("reinvest payouts"), default=False)
    # rental
    purchase_price = money_field(_("purchase price"))
    monthly_rent = money_field(_("monthly rent"))
    vacancy_rate = rate_field(_("vacancy rate"), default=ZERO)
    management_fee_rate = rate_field(_("management fee rate"), default=ZERO)
    monthly_running_costs = money_field(_("monthly running costs"))
    # subscription
    price_per_subscriber = money_field(_("price per subscriber and month"))
    current_subscribers = models.PositiveIntegerField(_("current subscribers"), default=0)
    new_subscribers_per_month = models.PositiveIntegerField(
        _("new subscribers per month"), default=0
    )
    monthly_churn_rate = rate_field(_("monthly churn rate"), default=ZERO)
    # flat
    expected_monthly_amount = money_field(_("expected monthly amount"))
    annual_growth_rate = rate_field(
        _("annual growth"), default=ZERO, low=Decimal("-0.999999"), high=Decimal(10)
    )
    # effort: "passive does not mean without work"
    upfront_investment = money_field(_("upfront money invested"))
    setup_hours = models.DecimalField(
        _("setup hours"), max_digits=8, decimal_places=2, default=ZERO
    )
    maintenance_hours_per_month = models.DecimalField(
        _("maintenance hours per month"),
        max_digits=7,
        decimal_places=2,
        default=ZERO,
        validators=[MinValueValidator(ZERO), MaxValueValidator(Decimal(744))],
    )
    monthly_costs = money_field(_("monthly costs"), help_text=_("Hosting, tools, management."))
    # payouts and dependencies
    payout_rhythm = models.CharField(
        _("payout rhythm"),
        max_length=12,
        choices=PayoutRhythm.choices,
        default=PayoutRhythm.MONTHLY,
    )
    next_payout_date = models.DateField(_("next expected payout"), null=True, blank=True)
    platform = models.CharField(_("platform or payer"), max_length=120, blank=True)
    country = models.CharField(
        _("country"), max_length=2, blank=True, help_text=_("ISO code, e.g. DE.")
    )
    notes = models.TextField(_("notes"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("income source")
        verbose_name_plural = _("income sources")
        ordering = ("name", "pk")
        indexes = [models.Index(fields=("owner", "status"), name="source_owner_status")]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="source_end_after_start",
            ),
            models.CheckConstraint(
                condition=Q(tax_rate__isnull=True) | Q(tax_rate__gte=0, tax_rate__lte=1),
                name="source_tax_rate_range",
            ),
            models.CheckConstraint(
                condition=Q(expected_yield__gt=-1, expected_yield__lte=10),
                name="source_yield_range",
            ),
            models.CheckConstraint(
                condition=Q(annual_growth_rate__gt=-1, annual_growth_rate__lte=10),
                name="source_growth_range",
            ),
            models.CheckConstraint(
                condition=Q(
                    vacancy_rate__gte=0,
                    vacancy_rate__lte=1,
                    management_fee_rate__gte=0,
                    management_fee_rate__lte=1,
                    monthly_churn_rate__gte=0,
                    monthly_churn_rate__lte=1,
                ),
                name="source_fractions_range",
            ),
            models.CheckConstraint(
                condition=Q(
                    invested_capital__gte=0,
                    purchase_price__gte=0,
                    monthly_rent__gte=0,
                    monthly_running_costs__gte=0,
                    price_per_subscriber__gte=0,
                    expected_monthly_amount__gte=0,
                    upfront_investment__gte=0,
                    monthly_costs__gte=0,
                    setup_hours__gte=0,
                    maintenance_hours_per_month__gte=0,
                ),
                name="source_amounts_non_negative",
            ),
            models.CheckConstraint(
                condition=Q(currency__in=CURRENCY_CODES), name="source_currency_known"
            ),
        ]

    def __str__(self) -> str:
        return self.name


RECEIPT_AMOUNTS = _(
    "Tax withheld and fees of a received payment cannot be negative or together exceed its gross."
)
REVERSAL_AMOUNTS = _(
    "The tax withheld of a reversal must be between the (negative) gross and zero, a "
    "returned fee may not exceed the amount reversed, and its net may not be positive."
)


class Payment(models.Model):
    """Money received from a source. Net = gross − tax withheld − fees.

    A refund, chargeback or reversal is a payment with a negative gross, booked on its own
    date, so it reduces income in its month: every figure sums payments and agrees. The
    withholding tax goes back with it (gross ≤ tax withheld ≤ 0); its fees are what the
    platform charged (positive) or returned (negative, no more than the amount reversed).
    """

    source = models.ForeignKey(
        IncomeSource, verbose_name=_("source"), on_delete=models.CASCADE, related_name="payments"
    )
    date = models.DateField(_("date"))
    gross = money_field(
        _("gross"),
        required=True,
        signed=True,
        help_text=_("Negative for a refund, chargeback or reversal."),
    )
    tax_withheld = money_field(_("tax withheld"), signed=True)
    fees = money_field(_("fees"), signed=True)
    currency = models.CharField(
        _("currency"), max_length=3, choices=CURRENCY_CHOICES, default=BASE_CURRENCY_DEFAULT
    )
    note = models.CharField(_("note"), max_length=500, blank=True)
    # NULL, not "", when absent: the unique constraints below only hold for real ids.
    external_id = models.CharField(_("external id"), max_length=100, null=True, blank=True)  # noqa: DJ001
    row_hash = models.CharField(max_length=64, null=True, blank=True, editable=False)  # noqa: DJ001
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        ordering = ("-date", "-pk")
        indexes = [models.Index(fields=("source", "date"), name="payment_source_date")]
        constraints = [
            models.UniqueConstraint(
                fields=("source", "external_id"),
                condition=Q(external_id__isnull=False),
                name="payment_unique_external_id",
            ),
            models.UniqueConstraint(
                fields=("source", "row_hash"),
                condition=Q(row_hash__isnull=False),
                name="payment_unique_row_hash",
            ),
            # A receipt: nothing negative, and the deductions fit in the gross.
            models.CheckConstraint(
                condition=Q(gross__lt=0)
                | Q(tax_withheld__gte=0, fees__gte=0, gross__gte=F("tax_withheld") + F("fees")),
                name="payment_receipt_amounts",
                violation_error_message=RECEIPT_AMOUNTS,
            ),
            # A reversal: the tax goes back with it, a returned fee is no more than the gross.
            models.CheckConstraint(
                condition=Q(gross__gte=0)
                | Q(
                    tax_withheld__lte=0,
                    tax_withheld__gte=F("gross"),
                    fees__gte=F("gross"),
                    gross__lte=F("tax_withheld") + F("fees"),
                ),
                name="payment_reversal_amounts",
                violation_error_message=REVERSAL_AMOUNTS,
            ),
            models.CheckConstraint(
                condition=Q(currency__in=CURRENCY_CODES), name="payment_currency_known"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.date} {self.gross} {self.currency}"

    @property
    def net(self) -> Decimal:
        return payment_net(gross=self.gross, tax_withheld=self.tax_withheld, fees=self.fees)

    @property
    def is_reversal(self) -> bool:
        """A refund, chargeback or reversal: money that went back (a negative gross)."""
        return self.gross is not None and self.gross < 0


class SubscriptionPeriod(models.Model):
    """One month of a subscription source, with MRR movements as SaaS-metrics tools define them."""

    source = models.ForeignKey(
        IncomeSource, verbose_name=_("source"), on_delete=models.CASCADE, related_name="periods"
    )
    month = models.DateField(_("month"), help_text=_("The first day of the month."))
    subscribers_start = models.PositiveIntegerField(_("subscribers at start"), default=0)
    new_subscribers = models.PositiveIntegerField(_("new"), default=0)
    churned_subscribers = models.PositiveIntegerField(_("churned"), default=0)
    reactivated_subscribers = models.PositiveIntegerField(_("reactivated"), default=0)
    mrr_new = money_field(_("new MRR"))
    mrr_expansion = money_field(_("expansion MRR"))
    mrr_contraction = money_field(_("contraction MRR"))
    mrr_churned = money_field(_("churned MRR"))
    mrr_reactivation = money_field(_("reactivation MRR"))
    revenue = money_field(
        _("recorded revenue"),
        null=True,
        blank=True,
        default=None,
        help_text=_("Revenue of the month if known; otherwise MRR = subscribers × price."),
    )

    class Meta:
        verbose_name = _("subscription period")
        verbose_name_plural = _("subscription periods")
        ordering = ("-month",)
        constraints = [
            models.UniqueConstraint(fields=("source", "month"), name="period_unique_month"),
            models.CheckConstraint(condition=Q(month__day=1), name="period_month_first_day"),
            models.CheckConstraint(
                condition=Q(churned_subscribers__lte=F("subscribers_start")),
                name="period_churn_within_start",
            ),
            models.CheckConstraint(
                condition=Q(
                    mrr_new__gte=0,
                    mrr_expansion__gte=0,
                    mrr_contraction__gte=0,
                    mrr_churned__gte=0,
                    mrr_reactivation__gte=0,
                )
                & (Q(revenue__isnull=True) | Q(revenue__gte=0)),
                name="period_amounts_non_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.source} {self.month:%Y-%m}"

    @property
    def subscribers_end(self) -> int:
        return (
            self.subscribers_start
            + self.new_subscribers
            + self.reactivated_subscribers
            - self.churned_subscribers
        )


class EffortLog(models.Model):
    """Hours actually spent on a source in a month (the plan is maintenance hours per month)."""

    source = models.ForeignKey(
        IncomeSource, verbose_name=_("source"), on_delete=models.CASCADE, related_name="effort_logs"
    )
    month = models.DateField(_("month"), help_text=_("The first day of the month."))
    hours = models.DecimalField(
        _("hours"),
        max_digits=7,
        decimal_places=2,
        validators=[MinValueValidator(ZERO), MaxValueValidator(Decimal(744))],
        help_text=_("At most 744, the hours of a month."),
    )
    note = models.CharField(_("note"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("effort log")
        verbose_name_plural = _("effort logs")
        ordering = ("-month",)
        constraints = [
            models.UniqueConstraint(fields=("source", "month"), name="effort_unique_month"),
            models.CheckConstraint(condition=Q(month__day=1), name="effort_month_first_day"),
            models.CheckConstraint(
                condition=Q(hours__gte=0, hours__lte=744), name="effort_hours_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.source} {self.month:%Y-%m}: {self.hours} h"


#: The calculation models whose upfront money buys an asset that is still owned (§3):
#: their return counts the asset's value, and only they take recorded values.
ASSET_MODELS = frozenset({CalculationModel.CAPITAL, CalculationModel.RENTAL})


class AssetValue(models.Model):
    """What the asset of a capital or rental source was worth on a day, as its owner says.

    The upfront money of such a source bought something that is still owned (PRODUCT.md
    §3), so its return counts the asset's latest recorded value: total return = income to
    date + that value − money put in, and the income yield divides by it. In the source's
    currency; one value per day.
    """

    source = models.ForeignKey(
        IncomeSource,
        verbose_name=_("source"),
        on_delete=models.CASCADE,
        related_name="asset_values",
    )
    date = models.DateField(_("date"), help_text=_("The day the asset had this value."))
    value = money_field(
        _("value"),
        required=True,
        help_text=_(
            "What the asset was worth on that day, in the source's currency: the holding's "
            "market value, or for a property bought with a loan its value less the loan "
            "still owed."
        ),
    )
    note = models.CharField(_("note"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("asset value")
        verbose_name_plural = _("asset values")
        ordering = ("-date", "-pk")
        constraints = [
            models.UniqueConstraint(fields=("source", "date"), name="assetvalue_unique_date"),
            models.CheckConstraint(condition=Q(value__gte=0), name="assetvalue_value_non_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.source} {self.date}: {self.value}"
