"""What a notice of the report says to a person, in their language."""

from __future__ import annotations

from django.utils.translation import gettext as _

from income.tax_report.report import Notice, TaxYearReport

#: Source fields a notice names, as the source form labels them.
_FIELD_LABELS = {
    "purchase_price": lambda: _("purchase price"),
    "building_share": lambda: _("building share"),
    "completion_year": lambda: _("year of completion"),
    "currency": lambda: _("an exchange rate of its currency on the day of purchase"),
}


def notice_message(notice: Notice, report: TaxYearReport) -> str:
    source = report.sources.get(notice.source_id) if notice.source_id is not None else None
    name = source.name if source is not None else ""
    if notice.code == "missing_rate":
        record, _sep, currency = notice.detail.partition(":")
        values = {"currency": currency, "id": notice.record_id}
        if record == "payment":
            return (
                _(
                    "A payment in %(currency)s (id %(id)s) is left out: there is no exchange "
                    "rate of %(currency)s on or before its day."
                )
                % values
            )
        return (
            _(
                "A cost in %(currency)s (id %(id)s) is left out: there is no exchange rate of "
                "%(currency)s on or before its day."
            )
            % values
        )
    if notice.code == "unmatched_reversal":
        return _(
            "%(source)s: its reversals of the year exceed its income by %(amount)s EUR. "
            "Losses are not part of this report; the excess is left out."
        ) % {"source": name, "amount": notice.detail}
    if notice.code == "fund_year_problem":
        return _("%(source)s: no Vorabpauschale could be computed: %(reason)s") % {
            "source": name,
            "reason": notice.detail,
        }
    if notice.code == "fund_year_missing":
        return _(
            "%(source)s is a fund: record its units and its prices at the start and end "
            "of %(year)s, so the report can compute the Vorabpauschale taxed this year."
        ) % {"source": name, "year": notice.detail}
    if notice.code == "building_missing":
        fields = ", ".join(_FIELD_LABELS[field]() for field in notice.detail.split(",") if field)
        return _(
            "%(source)s: without its %(fields)s the report cannot depreciate the building "
            "(depreciation 0)."
        ) % {"source": name, "fields": fields}
    if notice.code == "marginal_rate_missing":
        return _(
            "Add your marginal tax rate in the settings to estimate the tax on rent and "
            "business income; until then only the results are shown."
        )
    if notice.code == "country_missing":
        return _(
            "%(source)s: foreign tax is recorded but the source has no country, so the "
            "treaty rate cannot cap what is credited."
        ) % {"source": name}
    raise ValueError(f"Unknown notice {notice.code}.")
