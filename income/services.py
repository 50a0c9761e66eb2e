"""Every write of the income app goes through one function here.

Services take keyword-only arguments, run inside ``transaction.atomic``, validate with
``full_clean()`` and send side effects (e-mail, tasks) only after commit.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any, TypeVar

from django.conf import settings
from django.contrib.auth.models import User
from django.contrib.auth.password_validation import validate_password
from django.core import signing
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Case, DateTimeField, DecimalField, Model, Value, When
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from finance.currencies import BASE_CURRENCY_DEFAULT, CURRENCY_CODES
from finance.ecb_rates import EcbFileError, parse_ecb_rates
from finance.errors import DomainError
from finance.money import payment_amount_errors
from finance.schedule import month_start
from income import selectors
from income.changes import owner_data_changed
from income.dispatch import task_send_on_commit
from income.models import (
    ASSET_MODELS,
    AssetValue,
    CalculationModel,
    EffortLog,
    ExchangeRate,
    IncomeSource,
    Payment,
    Profile,
    SubscriptionPeriod,
)

M = TypeVar("M", bound=Model)


def _username_taken(username: str) -> dict[str, list[str]]:
    """The field error of a username taken in any case ("Alice" is "alice")."""
    if User.objects.filter(username__iexact=username).exists():
        return {"username": [_("A user with that username already exists.")]}
    return {}


@transaction.atomic
def user_register(
    *,
    username: str,
    email: str,
    password: str,
    language: str = settings.LANGUAGE_CODE,
    base_currency: str = BASE_CURRENCY_DEFAULT,
) -> User:
    """Create a user and their profile in one transaction, or neither.

    The same rules apply to the sign-up form (django-allauth, accounts/) and
    ``POST /api/v1/auth/register/``: a unique username and a password that passes the
    configured validators. A taken e-mail address is not refused: saying so would tell
    anyone who has an account here (issue 19, item 9); an address proves nothing until
    it is verified, and a reset mail goes to its owner whichever account asks.
    """
    errors = _username_taken(username)
    user = User(username=username, email=email)
    try:
        validate_password(password, user=user)
    except ValidationError as exc:
        errors["password"] = list(exc.messages)
    if errors:
        raise ValidationError(errors)
    user.set_password(password)
    user.full_clean()
    try:
        with transaction.atomic():  # a savepoint: the refusal below leaves it usable
            user.save()
    except IntegrityError:
        # A parallel sign-up took the name since the check (the case-insensitive unique
        # index, accounts/migrations): the same 400 the sequential case gets.
        if taken := _username_taken(user.username):
            raise ValidationError(taken) from None
        raise
    profile = Profile(user=user, language=language, base_currency=base_currency)
    profile.full_clean()
    profile.save()
    return user


def profile_get_or_create(*, user: User) -> Profile:
    """The user's profile; users made outside ``user_register`` (createsuperuser) get one."""
    return profiles_get_or_create(users=[user])[user.pk]


def profiles_get_or_create(*, users: Sequence[User]) -> dict[int, Profile]:
    """The profiles of ``users`` by user id, with their default tax profile, in one query
    (plus one insert for those who have none yet)."""
    found = {
        profile.user_id: profile
        for profile in Profile.objects.filter(user__in=users).select_related("default_tax_profile")
    }
    for user in users:
        if user.pk not in found:
            found[user.pk], _created = Profile.objects.get_or_create(user=user)
    return found


PROFILE_FIELDS = frozenset(
    {
        "base_currency", "language", "monthly_expenses", "hourly_value", "default_tax_profile",
        "weekly_digest", "home_country", "theme", "date_style",
    }
)  # fmt: skip
# The profile fields the reports are computed from; the others change no figure.
PROFILE_REPORT_FIELDS = frozenset(
    {"base_currency", "monthly_expenses", "hourly_value", "default_tax_profile"}
)


@transaction.atomic
def profile_update(*, user: User, **fields: Any) -> Profile:
    """Change profile preferences; unknown fields are a programming error, not input."""
    _reject_unknown("profile_update", fields, PROFILE_FIELDS)
    profile = row_locked(profile_get_or_create(user=user))
    before = {name: getattr(profile, name) for name in PROFILE_REPORT_FIELDS & set(fields)}
    if "home_country" in fields:
        fields = {**fields, "home_country": (fields["home_country"] or "").upper()}
    profile = model_assign_and_save(instance=profile, fields=fields, update_fields=fields)
    # Only a changed value that enters a figure makes the reports stale: the settings
    # form sends every field, and a new language alone changes no figure (issue #17.11).
    if any(getattr(profile, name) != value for name, value in before.items()):
        owner_data_changed(owner_id=user.pk)
    return profile


def email_send(*, subject: str, body: str, to: list[str], html_body: str | None = None) -> None:
    """Send an e-mail through the worker once the current transaction commits.

    Nothing is sent for a transaction that rolls back, and the request does not wait
    for the mail server. When the broker is unreachable the mail is sent inline: a
    password-reset mail that waited for Redis to come back would be no use.
    """
    from income.tasks import email_deliver

    message: dict[str, Any] = {"subject": subject, "body": body, "to": to, "html_body": html_body}
    task_send_on_commit(
        email_deliver, kwargs=message, on_unreachable=lambda: email_deliver(**message)
    )


@transaction.atomic
def api_token_create(*, user: User) -> tuple[str, datetime]:
    """Issue an API token (stored hashed by knox) and return it with its expiry.

    Expired tokens are deleted and only the newest ``API_TOKENS_PER_USER - 1`` kept, so
    a phone that logs in every day never locks its owner out with "too many tokens".
    """
    from knox.models import AuthToken

    now = timezone.now()
    tokens = AuthToken.objects.filter(user=user)
    tokens.filter(expiry__lte=now).delete()
    keep = list(
        tokens.order_by("-created").values_list("pk", flat=True)[: settings.API_TOKENS_PER_USER - 1]
    )
    tokens.exclude(pk__in=keep).delete()
    instance, token = AuthToken.objects.create(user=user, expiry=settings.REST_KNOX["TOKEN_TTL"])
    return token, instance.expiry


# ----------------------------------------------------------------------------- helpers


def _reject_unknown(function: str, fields: Mapping[str, Any], allowed: Iterable[str]) -> None:
    unknown = set(fields) - set(allowed)
    if unknown:
        raise TypeError(f"{function}() got unexpected fields: {sorted(unknown)}")


def model_assign_and_save(
    *,
    instance: M,
    fields: Mapping[str, Any],
    update_fields: Iterable[str] | None = None,
    on_conflict: Callable[[], None] | None = None,
) -> M:
    """Set fields, validate the whole row (fields, choices, constraints), then save.

    Public because the import's services write through it too: no row of ours is saved
    without ``full_clean()``. A negative zero amount (``"-0"``) is stored as 0.00, not
    -0.00. ``update_fields`` writes only those columns (and the ``auto_now`` stamp): an
    edit saves what it changed, never a stale copy of the rest of the row.

    The uniqueness rules are checked before saving, so the sequential duplicate gets
    its field error; a parallel request can still take the value between the check and
    the save, and then the database's unique constraint refuses it. The save runs in a
    savepoint so that refusal leaves the transaction usable, and ``on_conflict`` runs
    the same check again: it now sees the committed twin and raises the same field
    error, a 400 and not a 500 (issue 20).
    """
    for name, value in fields.items():
        setattr(instance, name, value)
    _positive_zeros(instance)
    try:
        instance.full_clean()
    except ValidationError:
        # A twin committed between the check and here fails the model's own unique
        # validation: the check again gives the sequential case's field error.
        if on_conflict is not None:
            on_conflict()
        raise
    written = None if update_fields is None else _with_timestamps(instance, update_fields)
    try:
        with transaction.atomic():
            instance.save(update_fields=written)
    except IntegrityError:
        if on_conflict is not None:
            on_conflict()
        raise
    return instance


def _positive_zeros(instance: Model) -> None:
    """``Decimal("-0.00") == 0`` but prints as "-0.00": store every zero amount as 0."""
    for field in instance._meta.concrete_fields:
        if isinstance(field, DecimalField):
            value = getattr(instance, field.attname)
            if isinstance(value, Decimal) and value.is_zero() and value.is_signed():
                setattr(instance, field.attname, abs(value))


def _with_timestamps(instance: Model, names: Iterable[str]) -> list[str]:
    """``names`` and the ``auto_now`` fields, which ``save(update_fields=…)`` skips unless
    named."""
    stamps = {
        field.name for field in instance._meta.concrete_fields if getattr(field, "auto_now", False)
    }
    return sorted({*names, *stamps})


def row_locked(instance: M) -> M:
    """The row as committed now, locked until the transaction ends.

    Views read the row before the service's transaction begins; saving that copy would
    write back every field as it was then and undo a change committed since (two PATCHes
    of different fields of one source: one was lost, issue 20). Read again under
    ``select_for_update``, a parallel writer of the same row waits for this one on
    PostgreSQL; on SQLite the lock is a no-op, and the IMMEDIATE transaction
    (``config/settings.py``) already makes every writer wait its turn. A row deleted
    meanwhile is ``Http404`` for the API and the pages alike: of parallel deletes of one
    row one deletes it and the others find it gone, and an edit never saves a deleted
    row back into being.
    """
    model = type(instance)
    try:  # in place: a caller holding ``instance`` sees the row it edited
        instance.refresh_from_db(from_queryset=model._default_manager.select_for_update())
    except ObjectDoesNotExist:
        raise Http404(f"{model.__name__} {instance.pk} was deleted meanwhile.") from None
    return instance


def _assign_month_fields(
    instance: SubscriptionPeriod | EffortLog, fields: Mapping[str, Any]
) -> None:
    """Set fields; a month is stored as its first day, whatever day was sent."""
    for name, value in fields.items():
        setattr(instance, name, month_start(value) if name == "month" and value else value)


def source_require_owner(*, source: IncomeSource, owner: User) -> None:
    """A related source must be the caller's own; another user's looks like no source at all.

    Public because every service that is handed a source asks it, the import's too.
    """
    if source.owner_id != owner.pk:
        raise DomainError({"source": [_("Select one of your own sources.")]})


# ----------------------------------------------------------------------------- sources

# The fields a user sets on a source, in form order; the form and the API use this list.
SOURCE_FIELDS: tuple[str, ...] = (
    "name", "category", "currency", "status", "start_date", "end_date", "tax_profile",
    "tax_rate", "invested_capital", "expected_yield", "reinvest", "purchase_price",
    "monthly_rent", "vacancy_rate", "management_fee_rate", "monthly_running_costs",
    "price_per_subscriber", "current_subscribers", "new_subscribers_per_month",
    "monthly_churn_rate", "expected_monthly_amount", "annual_growth_rate",
    "upfront_investment", "setup_hours", "maintenance_hours_per_month", "monthly_costs",
    "payout_rhythm", "next_payout_date", "platform", "country", "notes",
)  # fmt: skip


def _normalise_source(source: IncomeSource) -> None:
    source.country = (source.country or "").upper()
    source.platform = (source.platform or "").strip()
    if source.start_date and source.end_date and source.end_date < source.start_date:
        raise DomainError({"end_date": [_("The end date cannot be before the start date.")]})


@transaction.atomic
def source_create(*, owner: User, **fields: Any) -> IncomeSource:
    """Add an income source for ``owner``; ids or owners in ``fields`` are refused."""
    _reject_unknown("source_create", fields, SOURCE_FIELDS)
    source = IncomeSource(owner=owner)
    for name, value in fields.items():
        setattr(source, name, value)
    _normalise_source(source)
    source = model_assign_and_save(instance=source, fields={})
    owner_data_changed(owner_id=owner.pk)
    return source


@transaction.atomic
def source_update(*, source: IncomeSource, **fields: Any) -> IncomeSource:
    _reject_unknown("source_update", fields, SOURCE_FIELDS)
    source = row_locked(source)
    for name, value in fields.items():
        setattr(source, name, value)
    _normalise_source(source)
    source = model_assign_and_save(instance=source, fields={}, update_fields=fields)
    owner_data_changed(owner_id=source.owner_id)
    return source


@transaction.atomic
def source_delete(*, source: IncomeSource) -> None:
    """Delete a source with its payments, periods and effort logs.

    Locked first, so of parallel deletes one deletes and the others find nothing (404).
    """
    source = row_locked(source)
    owner_data_changed(owner_id=source.owner_id)
    source.delete()


# ----------------------------------------------------------------------------- payments

PAYMENT_FIELDS = frozenset(
    {"source", "date", "gross", "tax_withheld", "fees", "currency", "note", "external_id"}
)


def _payment_amount_errors(payment: Payment) -> dict[str, list[str]]:
    """``payment_amount_errors`` of the payment, translated, as field errors."""
    gross, tax, fees = payment.gross, payment.tax_withheld, payment.fees
    if gross is None or tax is None or fees is None:
        return {}  # full_clean() names the missing amount
    problems = payment_amount_errors(gross=gross, tax_withheld=tax, fees=fees)
    return {field: [_(message)] for field, message in problems.items()}


def _assign_payment(payment: Payment, fields: Mapping[str, Any]) -> None:
    """Set a payment's fields and check the rules that span several of them."""
    for name, value in fields.items():
        setattr(payment, name, value)
    payment.external_id = (payment.external_id or "").strip() or None
    errors = _payment_amount_errors(payment)
    if (
        payment.external_id
        and Payment.objects.filter(source_id=payment.source_id, external_id=payment.external_id)
        .exclude(pk=payment.pk)
        .exists()
    ):
        errors["external_id"] = [_("This external id is already recorded for this source.")]
    if errors:
        raise DomainError(errors)


@transaction.atomic
def payment_create(
    *, owner: User, source: IncomeSource, allow_duplicate: bool = True, **fields: Any
) -> Payment:
    """Record a received amount. Without a currency it is the source's currency.

    An ``external_id`` already used for this source is a field error, so a re-import
    never doubles a row (PRODUCT.md §2). With ``allow_duplicate=False`` (a person typing
    it in the browser or an API client that did not confirm) a payment of the same
    source, day and gross as a recorded one is refused with the field error
    ``confirm_duplicate``: asking once catches the rent entered twice. Imports keep the
    default: their rows carry external ids and row hashes of their own.
    """
    _reject_unknown("payment_create", fields, PAYMENT_FIELDS - {"source"})
    source_require_owner(source=source, owner=owner)
    fields = {**fields}
    fields.setdefault("currency", source.currency)
    payment = Payment(source=source)
    _assign_payment(payment, fields)
    if not allow_duplicate and payment.date is not None and payment.gross is not None:
        twin = selectors.payment_likely_duplicate(
            source=source, on=payment.date, gross=payment.gross
        )
        if twin is not None:
            # A parallel request with this external id may have committed between the
            # check in ``_assign_payment`` and this one: its answer is the sequential
            # case's external-id error, not a question about a duplicate (issue 20).
            _assign_payment(payment, {})
            raise DomainError({"confirm_duplicate": [duplicate_message(twin)]})
    payment = model_assign_and_save(
        instance=payment, fields={}, on_conflict=lambda: _assign_payment(payment, {})
    )
    owner_data_changed(owner_id=owner.pk)
    return payment


@transaction.atomic
def payment_update(*, owner: User, payment: Payment, **fields: Any) -> Payment:
    _reject_unknown("payment_update", fields, PAYMENT_FIELDS)
    if "source" in fields:
        source_require_owner(source=fields["source"], owner=owner)
    payment = row_locked(payment)
    _assign_payment(payment, fields)
    payment = model_assign_and_save(
        instance=payment,
        fields={},
        update_fields=fields,
        on_conflict=lambda: _assign_payment(payment, {}),
    )
    owner_data_changed(owner_id=owner.pk)
    return payment


@transaction.atomic
def payment_delete(*, payment: Payment) -> None:
    payment = row_locked(payment)
    owner_data_changed(owner_id=payment.source.owner_id)
    payment.delete()


def duplicate_message(twin: Payment) -> str:
    """The question a likely duplicate asks, naming the recorded twin."""
    return _(
        "A payment of the same amount from this source on this day is already recorded "
        "(id %(id)s). Save it anyway if it really is a second payment."
    ) % {"id": twin.pk}


# ----------------------------------------------------------------------------- payments in bulk
#
# A bulk write names its rows by id. Every id must be one of the owner's payments, else
# the whole request is refused with ``Payment.DoesNotExist`` (a 404 in the views) and
# nothing changes: a list mixing in another user's id reveals nothing about that row.
# Each write is one UPDATE or DELETE, inside one transaction, announced once.

#: At most this many ids a request: a page holds 50, "select all" a few hundred.
PAYMENT_BULK_LIMIT = 500
#: How long a deletion can be undone.
PAYMENT_UNDO_SECONDS = 15 * 60
_UNDO_SALT = "income.payments.undo"
_RESTORED_FIELDS = (
    "id", "source_id", "date", "gross", "tax_withheld", "fees", "currency", "note",
    "external_id", "row_hash", "created_at",
)  # fmt: skip


def _owned_payments(*, owner: User, ids: Sequence[int]) -> Any:
    """The owner's payments of ``ids``; refuses an empty, oversized or foreign selection."""
    wanted = set(ids)
    if not wanted:
        raise DomainError({"ids": [_("Select at least one payment.")]})
    if len(wanted) > PAYMENT_BULK_LIMIT:
        raise DomainError(
            {
                "ids": [
                    _("At most %(limit)s payments can be changed at once; %(count)s were sent.")
                    % {"limit": PAYMENT_BULK_LIMIT, "count": len(wanted)}
                ]
            }
        )
    payments = Payment.objects.filter(source__owner=owner, pk__in=wanted)
    # Locked, so of parallel deletes of one payment one deletes and the others find it
    # gone (a 404, not a second 204). ``of``: the payments, not their sources' rows.
    found = payments.select_for_update(of=("self",)).only("pk")
    if len(list(found)) != len(wanted):
        raise Payment.DoesNotExist("Not every id is one of the owner's payments.")
    return payments


@transaction.atomic
def payments_bulk_delete(*, owner: User, ids: Sequence[int]) -> tuple[int, str]:
    """Delete the owner's payments ``ids``; returns their count and an undo token.

    The token is the deleted rows themselves, signed with the site's secret key and the
    owner's id (``django.core.signing``), valid for ``PAYMENT_UNDO_SECONDS``. It needs no
    table, cache or migration, works the same for the browser (kept in the session) and
    the API (handed to the client), and cannot be forged or replayed by another user:
    ``payments_restore`` checks the signature, the age and the owner.
    """
    payments = _owned_payments(owner=owner, ids=ids)
    rows = [
        {
            name: (value.isoformat() if hasattr(value, "isoformat") else value)
            for name, value in row.items()
        }
        for row in payments.order_by("pk").values(*_RESTORED_FIELDS)
    ]
    for row in rows:
        for name in ("gross", "tax_withheld", "fees"):
            row[name] = str(row[name])
    token = signing.dumps({"owner": owner.pk, "rows": rows}, salt=_UNDO_SALT, compress=True)
    Payment.objects.filter(pk__in=[row["id"] for row in rows]).delete()
    owner_data_changed(owner_id=owner.pk)
    return len(rows), token


def _restored_insert(rows: Sequence[Payment]) -> None:
    """Insert the rows of a restore; the insert, not the checks before it, claims them.

    The checks read; a parallel undo of the same token (or an import of one of its
    external ids) that committed in between makes the insert break a unique constraint
    (the primary key, the external id). The answer is then the refusal the later request
    would have had a moment after, not a 500 (issue 20). A savepoint, so the refused
    insert leaves the transaction usable on PostgreSQL.
    """
    try:
        with transaction.atomic():
            Payment.objects.bulk_create(rows)
    except IntegrityError:
        if Payment.objects.filter(pk__in=[row.pk for row in rows]).exists():
            raise DomainError({"token": [_("These payments were already restored.")]}) from None
        raise DomainError(
            {"token": [_("Some of these payments were imported again; nothing was restored.")]}
        ) from None


@transaction.atomic
def payments_restore(*, owner: User, token: str) -> int:
    """Put back the payments a ``payments_bulk_delete`` removed: same ids, same fields.

    Refused (a ``DomainError``, nothing changes) when the token is forged, expired, made
    for another user, already used (a row with one of the ids exists again) or when a
    source of the rows was deleted since. The rows' primary keys make a token single-use
    even under parallel undos: of two at once one inserts, the other meets the key and
    gets the "already restored" refusal.
    """
    try:
        data = signing.loads(token, salt=_UNDO_SALT, max_age=PAYMENT_UNDO_SECONDS)
    except signing.SignatureExpired:
        raise DomainError({"token": [_("This deletion can no longer be undone.")]}) from None
    except signing.BadSignature:
        raise DomainError({"token": [_("This undo link is not valid.")]}) from None
    if data.get("owner") != owner.pk:
        raise DomainError({"token": [_("This undo link is not valid.")]})
    rows: list[dict[str, Any]] = data["rows"]
    ids = [row["id"] for row in rows]
    if Payment.objects.filter(pk__in=ids).exists():
        raise DomainError({"token": [_("These payments were already restored.")]})
    source_ids = {row["source_id"] for row in rows}
    if IncomeSource.objects.filter(owner=owner, pk__in=source_ids).count() != len(source_ids):
        raise DomainError(
            {"token": [_("A source of these payments was deleted; they cannot be restored.")]}
        )
    external = [row["external_id"] for row in rows if row["external_id"]]
    # Only other rows count: a parallel undo that restored these very rows since the
    # check above is "already restored" (the insert's key says so), not an import.
    if (
        external
        and Payment.objects.filter(source_id__in=source_ids, external_id__in=external)
        .exclude(pk__in=ids)
        .exists()
    ):
        raise DomainError(
            {"token": [_("Some of these payments were imported again; nothing was restored.")]}
        )
    restored = [
        Payment(
            **{
                **row,
                "date": date.fromisoformat(row["date"]),
                "gross": Decimal(row["gross"]),
                "tax_withheld": Decimal(row["tax_withheld"]),
                "fees": Decimal(row["fees"]),
            }
        )
        for row in rows
    ]
    _restored_insert(restored)
    # ``auto_now_add`` stamped them now; put back when they were first recorded.
    Payment.objects.filter(pk__in=ids).update(
        created_at=Case(
            *(
                When(pk=row["id"], then=Value(datetime.fromisoformat(row["created_at"])))
                for row in rows
            ),
            output_field=DateTimeField(),
        )
    )
    owner_data_changed(owner_id=owner.pk)
    return len(restored)


def _refuse_external_id_clash(payments: Any, *, source: IncomeSource) -> None:
    """Moving rows must not give ``source`` two payments with one external id."""
    moving = [i for i in payments.values_list("external_id", flat=True) if i is not None]
    clash = len(moving) != len(set(moving)) or (
        Payment.objects.filter(source=source, external_id__in=moving)
        .exclude(pk__in=payments.values("pk"))
        .exists()
    )
    if clash:
        raise DomainError(
            {
                "source": [
                    _("The target source already has a payment with one of these external ids.")
                ]
            }
        )


@transaction.atomic
def payments_bulk_move(*, owner: User, ids: Sequence[int], source: IncomeSource) -> int:
    """Move the owner's payments ``ids`` to another of the owner's sources.

    Each keeps its own currency and amounts; a source of another user is a 404
    (``IncomeSource.DoesNotExist``), like a foreign id.
    """
    if source.owner_id != owner.pk:
        raise IncomeSource.DoesNotExist("The target source is not the owner's.")
    payments = _owned_payments(owner=owner, ids=ids)
    _refuse_external_id_clash(payments, source=source)
    count = int(payments.update(source=source))
    owner_data_changed(owner_id=owner.pk)
    return count


@transaction.atomic
def payments_bulk_set_date(*, owner: User, ids: Sequence[int], on: date) -> int:
    """Give the owner's payments ``ids`` the date ``on`` (a batch booked on the wrong day)."""
    payments = _owned_payments(owner=owner, ids=ids)
    count = int(payments.update(date=on))
    owner_data_changed(owner_id=owner.pk)
    return count


@transaction.atomic
def payments_bulk_set_currency(*, owner: User, ids: Sequence[int], currency: str) -> int:
    """Give the owner's payments ``ids`` the currency ``currency``; amounts stay as typed.

    This corrects a wrong currency, it does not convert: 100 typed as EUR but paid in
    USD is 100 USD.
    """
    if currency not in CURRENCY_CODES:
        raise DomainError({"currency": [_("Unknown currency.")]})
    payments = _owned_payments(owner=owner, ids=ids)
    count = int(payments.update(currency=currency))
    owner_data_changed(owner_id=owner.pk)
    return count


# ----------------------------------------------------------------------------- subscription periods

PERIOD_FIELDS = frozenset(
    {
        "source", "month", "subscribers_start", "new_subscribers", "churned_subscribers",
        "reactivated_subscribers", "mrr_new", "mrr_expansion", "mrr_contraction",
        "mrr_churned", "mrr_reactivation", "revenue",
    }
)  # fmt: skip


def _require_subscription(source: IncomeSource) -> None:
    if source.category.model != CalculationModel.SUBSCRIPTION:
        raise DomainError(
            {"source": [_("Subscription periods belong to subscription sources only.")]}
        )


R = TypeVar("R", SubscriptionPeriod, EffortLog, AssetValue)


def _record_save(
    record: R,
    *,
    check: Callable[[R], None],
    owner: User,
    update_fields: Iterable[str] | None = None,
) -> R:
    """Check, save and mark the owner's figures stale: the end of every write of a
    per-source record (subscription period, logged hours, asset value). An update names
    the fields it was sent (``update_fields``) and saves only those."""
    check(record)
    record = model_assign_and_save(
        instance=record, fields={}, update_fields=update_fields, on_conflict=lambda: check(record)
    )
    owner_data_changed(owner_id=owner.pk)
    return record


def _record_delete(record: SubscriptionPeriod | EffortLog | AssetValue) -> None:
    record = row_locked(record)
    owner_data_changed(owner_id=record.source.owner_id)
    record.delete()


def _taken_on_source(record: SubscriptionPeriod | EffortLog | AssetValue, field: str) -> bool:
    """Whether another row of ``record``'s source already has its ``field`` (a month,
    a day): periods, logged hours and asset values are one per source and month/day."""
    value = getattr(record, field)
    return bool(
        value
        and type(record)
        .objects.filter(source_id=record.source_id, **{field: value})
        .exclude(pk=record.pk)
        .exists()
    )


def _check_period(period: SubscriptionPeriod) -> None:
    errors: dict[str, list[str]] = {}
    if period.churned_subscribers > period.subscribers_start:
        errors["churned_subscribers"] = [
            _("More subscribers cannot churn than there were at the start of the month.")
        ]
    if _taken_on_source(period, "month"):
        errors["month"] = [_("This month is already recorded for this source.")]
    if errors:
        raise DomainError(errors)


@transaction.atomic
def period_create(*, owner: User, source: IncomeSource, **fields: Any) -> SubscriptionPeriod:
    """Record one month of a subscription source; the month is stored as its first day."""
    _reject_unknown("period_create", fields, PERIOD_FIELDS - {"source"})
    source_require_owner(source=source, owner=owner)
    _require_subscription(source)
    period = SubscriptionPeriod(source=source)
    _assign_month_fields(period, fields)
    return _record_save(period, check=_check_period, owner=owner)


@transaction.atomic
def period_update(*, owner: User, period: SubscriptionPeriod, **fields: Any) -> SubscriptionPeriod:
    _reject_unknown("period_update", fields, PERIOD_FIELDS)
    if "source" in fields:
        source_require_owner(source=fields["source"], owner=owner)
        _require_subscription(fields["source"])
    period = row_locked(period)
    _assign_month_fields(period, fields)
    return _record_save(period, check=_check_period, owner=owner, update_fields=fields)


@transaction.atomic
def period_delete(*, period: SubscriptionPeriod) -> None:
    _record_delete(period)


# ----------------------------------------------------------------------------- effort

EFFORT_FIELDS = frozenset({"source", "month", "hours", "note"})


def _check_effort_log(effort_log: EffortLog) -> None:
    if _taken_on_source(effort_log, "month"):
        raise DomainError({"month": [_("This month is already recorded for this source.")]})


@transaction.atomic
def effort_log_create(*, owner: User, source: IncomeSource, **fields: Any) -> EffortLog:
    """Record the hours spent on a source in a month (one row per month)."""
    _reject_unknown("effort_log_create", fields, EFFORT_FIELDS - {"source"})
    source_require_owner(source=source, owner=owner)
    effort_log = EffortLog(source=source)
    _assign_month_fields(effort_log, fields)
    return _record_save(effort_log, check=_check_effort_log, owner=owner)


@transaction.atomic
def effort_log_update(*, owner: User, effort_log: EffortLog, **fields: Any) -> EffortLog:
    _reject_unknown("effort_log_update", fields, EFFORT_FIELDS)
    if "source" in fields:
        source_require_owner(source=fields["source"], owner=owner)
    effort_log = row_locked(effort_log)
    _assign_month_fields(effort_log, fields)
    return _record_save(effort_log, check=_check_effort_log, owner=owner, update_fields=fields)


@transaction.atomic
def effort_log_delete(*, effort_log: EffortLog) -> None:
    _record_delete(effort_log)


# ----------------------------------------------------------------------------- asset values

ASSET_VALUE_FIELDS = frozenset({"source", "date", "value", "note"})


def _require_asset(source: IncomeSource) -> None:
    if source.category.model not in ASSET_MODELS:
        raise DomainError(
            {"source": [_("A value can be recorded for capital and rental sources only.")]}
        )


def _check_asset_value(asset_value: AssetValue) -> None:
    if _taken_on_source(asset_value, "date"):
        raise DomainError({"date": [_("A value is already recorded for this day.")]})


@transaction.atomic
def asset_value_create(*, owner: User, source: IncomeSource, **fields: Any) -> AssetValue:
    """Record what the asset of a capital or rental source was worth on a day.

    In the source's currency, one value per day. A later value replaces an earlier one
    in the figures (total return, income yield), so recording one marks the reports stale.
    """
    _reject_unknown("asset_value_create", fields, ASSET_VALUE_FIELDS - {"source"})
    source_require_owner(source=source, owner=owner)
    _require_asset(source)
    asset_value = AssetValue(source=source)
    for name, value in fields.items():
        setattr(asset_value, name, value)
    return _record_save(asset_value, check=_check_asset_value, owner=owner)


@transaction.atomic
def asset_value_update(*, owner: User, asset_value: AssetValue, **fields: Any) -> AssetValue:
    _reject_unknown("asset_value_update", fields, ASSET_VALUE_FIELDS)
    if "source" in fields:
        source_require_owner(source=fields["source"], owner=owner)
        _require_asset(fields["source"])
    asset_value = row_locked(asset_value)
    for name, value in fields.items():
        setattr(asset_value, name, value)
    return _record_save(asset_value, check=_check_asset_value, owner=owner, update_fields=fields)


@transaction.atomic
def asset_value_delete(*, asset_value: AssetValue) -> None:
    _record_delete(asset_value)


@transaction.atomic
def exchange_rates_import(*, data: bytes) -> int:
    """Load ECB reference rates (admin); a day already stored gets the file's rate."""
    try:
        rates = parse_ecb_rates(data, currencies=set(CURRENCY_CODES) - {"EUR"})
    except EcbFileError as error:
        raise DomainError({"file": [str(error)]}) from error
    ExchangeRate.objects.bulk_create(
        [ExchangeRate(date=r.day, currency=r.currency, rate=r.rate) for r in rates],
        batch_size=2000,
        update_conflicts=True,
        unique_fields=["currency", "date"],
        update_fields=["rate"],
    )
    return len(rates)
