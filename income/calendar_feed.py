"""The private calendar feed (issue 24): the income calendar as an iCalendar file
(RFC 5545) that calendar apps subscribe to.

Two kinds of all-day events, both in the owner's language:

- an **expected payout** for each month the calendar page marks "expected" or
  "overdue" (``calendar_page``: the same months, the same amounts, net in the base
  currency), on the day of the month of the source's next expected payout;
- a **received payment** for each payment, net in the payment's own currency, with its
  gross, tax and fees in the description.

A month whose payout arrived shows its payments and no expected event beside them: the
calendar page calls that month "received" too. UIDs are stable (the source and month,
the payment's id), so a calendar app updates an event in place when its amount or
status changes, and drops it when it leaves the feed.

The size is bounded by the window: ``FEED_PAST_MONTHS`` back to ``FEED_FUTURE_MONTHS``
ahead, at most one expected event per source and month, and at most
``PAYMENT_EVENTS_LIMIT`` payments (the latest). Calendar apps fetch the whole file on
every refresh and keep it in memory; a feed of the whole history would grow with every
year, and what a person looks up in a calendar is the months around today.

The text is written by the ``icalendar`` package, which escapes commas, semicolons and
line breaks and folds long lines at 75 octets, as RFC 5545 asks.
"""

from __future__ import annotations

import uuid
from calendar import monthrange
from datetime import date, datetime, timedelta
from typing import Protocol

import icalendar
from django.conf import settings
from django.contrib.auth.models import User
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from finance.schedule import add_months, month_start
from income.calendar import calendar_page
from income.formatting import format_money
from income.models import IncomeSource, Payment, Profile

#: The window: a year back (overdue payouts and what arrived) and a year ahead.
FEED_PAST_MONTHS = 12
FEED_FUTURE_MONTHS = 12
#: The latest payments of the window that become events; older ones are left out.
PAYMENT_EVENTS_LIMIT = 2000
#: How often a calendar app is asked to fetch again (``REFRESH-INTERVAL``, RFC 7986, and
#: Outlook's and Google's ``X-PUBLISHED-TTL``): figures change with payments, not by the
#: minute, and every fetch computes the calendar anew.
FEED_REFRESH = timedelta(hours=6)
PRODID = "-//Ertrag//Income calendar//EN"
UID_DOMAIN = "ertrag"
#: Days an all-day event lasts: DTEND is the day after DTSTART (RFC 5545, 3.6.1).
ONE_DAY = timedelta(days=1)


class _Request(Protocol):
    def build_absolute_uri(self, location: str | None = None) -> str: ...


def site_url(request: _Request) -> str:
    """This site's scheme and host as the request reached it (a page's or the API's),
    for the absolute addresses a calendar app needs."""
    return request.build_absolute_uri("/").rstrip("/")


def feed_address(*, site_url: str, token: str) -> str:
    """The absolute address of the feed with ``token`` (``site_url``: scheme and host)."""
    return site_url + reverse("calendar_feed_ics", args=[token])


def webcal_address(address: str) -> str:
    """``webcal://`` for an ``http(s)://`` address: the scheme a click hands to the
    device's calendar app, which then subscribes (and fetches over HTTPS or HTTP)."""
    return "webcal://" + address.split("://", 1)[1]


def feed_window(today: date) -> tuple[date, date]:
    """The first day of the feed's first month and the day after its last month."""
    current = month_start(today)
    return add_months(current, -FEED_PAST_MONTHS), add_months(current, FEED_FUTURE_MONTHS + 1)


def payout_day(*, month: date, next_payout: date | None) -> date:
    """The day in ``month`` a payout is expected: the day of the month of the source's
    next expected payout (the 31st becomes the month's last day), or the 1st when the
    source names none (its rhythm then says only the month)."""
    if next_payout is None:
        return month
    return month.replace(day=min(next_payout.day, monthrange(month.year, month.month)[1]))


def _language_of(owner: User) -> str:
    language = Profile.objects.filter(user=owner).values_list("language", flat=True).first()
    return language or settings.LANGUAGE_CODE


def _source_line(source: IncomeSource) -> str:
    return _("Source: %(source)s (%(category)s)") % {
        "source": source.name,
        "category": source.category.name,
    }


def _event(
    *,
    uid: str,
    day: date,
    summary: str,
    description: str,
    category: str,
    status: icalendar.STATUS,
    url: str,
    now: datetime,
) -> icalendar.Event:
    return icalendar.Event.new(
        uid=f"{uid}@{UID_DOMAIN}",
        start=day,
        end=day + ONE_DAY,
        stamp=now,
        summary=summary,
        description=description,
        categories=[category],
        status=status,
        # A payout takes no time: the day stays free in apps that look for busy times.
        transparency=icalendar.TRANSP.TRANSPARENT,
        url=url,
    )


def _expected_events(
    *, owner: User, today: date, now: datetime, site_url: str
) -> list[icalendar.Event]:
    page = calendar_page(
        owner=owner,
        today=today,
        past_months=FEED_PAST_MONTHS,
        months=FEED_PAST_MONTHS + 1 + FEED_FUTURE_MONTHS,
    )
    events = []
    for source, cells in page.rows:
        url = site_url + reverse("source_detail", args=[source.pk])
        for cell in cells:
            status = cell.entry.status
            if status not in ("expected", "overdue"):
                continue
            names = {"source": source.name}
            lines = [_source_line(source)]
            if cell.expected_amount is None:
                summary = (
                    _("Overdue: %(source)s, payout expected")
                    if status == "overdue"
                    else _("%(source)s: payout expected")
                ) % names
                lines.append(
                    _(
                        "No amount yet: the source has no complete month in the last year, "
                        "earned nothing in it, or pays irregularly."
                    )
                )
            else:
                amount = format_money(cell.expected_amount, page.currency)
                summary = (
                    _("Overdue: %(source)s, %(amount)s net expected")
                    if status == "overdue"
                    else _("%(source)s: %(amount)s net expected")
                ) % {**names, "amount": amount}
                lines.append(
                    _(
                        "The amount is the source's average complete month of the last year, "
                        "net, times the months one payout covers."
                    )
                )
            if status == "overdue":
                lines.append(_("The month has passed without a payment."))
            lines.append(
                _("Payout rhythm: %(rhythm)s") % {"rhythm": source.get_payout_rhythm_display()}
            )
            events.append(
                _event(
                    uid=f"expected-{source.pk}-{cell.entry.month:%Y-%m}",
                    day=payout_day(month=cell.entry.month, next_payout=source.next_payout_date),
                    summary=summary,
                    description="\n".join(lines),
                    category=_("overdue") if status == "overdue" else _("expected"),
                    status=icalendar.STATUS.TENTATIVE,
                    url=url,
                    now=now,
                )
            )
    return events


def _payment_events(
    *, owner: User, first: date, end: date, now: datetime, site_url: str, limit: int
) -> list[icalendar.Event]:
    payments = (
        Payment.objects.filter(source__owner=owner, date__gte=first, date__lt=end)
        .select_related("source__category")
        .order_by("-date", "-pk")[:limit]
    )
    events = []
    for payment in payments:
        source = payment.source
        net = payment.net
        money = {
            "net": format_money(net, payment.currency),
            "gross": format_money(payment.gross, payment.currency),
            "tax": format_money(payment.tax_withheld, payment.currency),
            "fees": format_money(payment.fees, payment.currency),
        }
        if payment.is_reversal:
            summary = _("%(source)s: %(amount)s net refunded") % {
                "source": source.name,
                "amount": format_money(net.copy_abs(), payment.currency),
            }
        else:
            summary = _("%(source)s: %(amount)s net received") % {
                "source": source.name,
                "amount": money["net"],
            }
        lines = [
            _source_line(source),
            _("Net %(net)s = gross %(gross)s − tax withheld %(tax)s − fees %(fees)s.") % money,
        ]
        if payment.note:
            lines.append(_("Note: %(note)s") % {"note": payment.note})
        events.append(
            _event(
                uid=f"payment-{payment.pk}",
                day=payment.date,
                summary=summary,
                description="\n".join(lines),
                category=_("refund") if payment.is_reversal else _("received"),
                status=icalendar.STATUS.CONFIRMED,
                url=site_url + reverse("source_detail", args=[source.pk]),
                now=now,
            )
        )
    return events


def calendar_feed_ics(
    *,
    owner: User,
    today: date,
    now: datetime,
    site_url: str,
    payment_limit: int = PAYMENT_EVENTS_LIMIT,
) -> bytes:
    """``owner``'s feed as iCalendar text (UTF-8), in their profile's language.

    ``today`` places the window and decides what is overdue (the site's local day, as
    the calendar page's); ``now`` stamps the events (DTSTAMP, UTC); ``site_url`` (scheme
    and host, no trailing slash) makes each event's link to its source's page;
    ``payment_limit`` bounds the payments (the latest of the window).
    """
    first, end = feed_window(today)
    with translation.override(_language_of(owner)):
        calendar = icalendar.Calendar.new(
            prodid=PRODID,
            calscale="GREGORIAN",
            method="PUBLISH",
            name=_("Ertrag – income"),
            description=_("Expected and received payouts of your income sources."),
            # One calendar per account, the same across new addresses.
            uid=uuid.uuid5(uuid.NAMESPACE_URL, f"ertrag:income-calendar:{owner.pk}"),
        )
        # RFC 7986 asks for the value type with this property; the package omits it.
        calendar.add(
            "REFRESH-INTERVAL", icalendar.vDuration(FEED_REFRESH), parameters={"VALUE": "DURATION"}
        )
        calendar.add("X-PUBLISHED-TTL", icalendar.vDuration(FEED_REFRESH))
        events = _expected_events(owner=owner, today=today, now=now, site_url=site_url)
        events += _payment_events(
            owner=owner, first=first, end=end, now=now, site_url=site_url, limit=payment_limit
        )
        events.sort(key=lambda event: (event.start, str(event["UID"])))
        for event in events:
            calendar.add_component(event)
        return bytes(calendar.to_ical())
