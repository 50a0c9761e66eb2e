"""The yearly tax report as files: a CSV for a spreadsheet and a PDF to keep or print.

Both print ``figures.report_figures`` line by line, so they carry the page's numbers and
nothing else. The CSV names each figure's records (payment, cost and fund-year ids) so
a spreadsheet can trace it as the page's links do.

The PDF is drawn with fpdf2's core font (Helvetica) in cp1252, which holds German text
and the euro sign without shipping a font file; a character outside it (a source named
in Cyrillic, an emoji) prints as "?" rather than failing the download.
"""

from __future__ import annotations

from datetime import date

from django.utils.translation import gettext as _
from fpdf import FPDF

from finance.csv_export import write_csv
from income.formatting import format_money, format_percent
from income.tax_report.figures import Figure, report_figures
from income.tax_report.report import TaxYearReport

ENCODING = "cp1252"


def _ids(values: tuple[int, ...]) -> str:
    return " ".join(str(value) for value in values)


def report_csv(report: TaxYearReport, *, german: bool, date_style: str = "system") -> str:
    """The figures as CSV: section, line, amount and the ids of the records behind it."""
    header = [_("Section"), _("Code"), _("Line"), _("Amount (EUR)"), _("Payments"), _("Costs"),
              _("Fund years")]  # fmt: skip
    rows = (
        [
            f.section_label,
            f"{f.section}/{f.key}",
            f.label,
            f.amount,
            _ids(f.payment_ids),
            _ids(f.cost_ids),
            _ids(f.fund_year_ids),
        ]
        for f in report_figures(report)
    )
    return write_csv(header, rows, german=german, date_style=date_style)


#: Characters the formats use that cp1252 lacks, and their nearest in it: the minus sign
#: of a negative amount and the narrow spaces some locales group digits with.
_NEAREST = str.maketrans({"\u2212": "-", "\u202f": "\u00a0", "\u2009": " "})


def _text(text: str) -> str:
    """``text`` as the core font can print it: the minus sign and narrow spaces as their
    nearest, any other character outside cp1252 as "?"."""
    return text.translate(_NEAREST).encode(ENCODING, errors="replace").decode(ENCODING)


def report_title(report: TaxYearReport) -> str:
    return _("Tax report %(year)s") % {"year": report.year}


def report_settings(report: TaxYearReport) -> str:
    """The profile settings the figures rest on, in one line."""
    joint = _("joint assessment")
    if report.joint_partner is not None:
        joint = _("joint assessment with %(partner)s, who keeps their own books") % {
            "partner": report.joint_partner.name
        }
    parts = [
        joint if report.filing_status == "joint" else _("single assessment"),
        _("church tax %(rate)s") % {"rate": format_percent(report.church_rate, 0)}
        if report.church_rate
        else _("no church tax"),
    ]
    if report.marginal_rate is not None:
        parts.append(
            _("marginal rate %(rate)s") % {"rate": format_percent(report.marginal_rate, 2)}
        )
    return ", ".join(parts)


def report_pdf(report: TaxYearReport, *, owner_name: str, made_on: date) -> bytes:
    """The figures as an A4 PDF, a section per block, amounts right-aligned in euros."""
    pdf = FPDF(format="A4")
    pdf.core_fonts_encoding = ENCODING
    pdf.set_auto_page_break(auto=True, margin=15)
    pdf.set_title(_text(report_title(report)))
    pdf.set_creator("Ertrag")
    pdf.add_page()
    pdf.set_font("helvetica", "B", 16)
    pdf.cell(0, 10, _text(f"{report_title(report)} · {owner_name}"), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("helvetica", size=9)
    made = _("Made on %(day)s from your records; %(settings)s.") % {
        "day": made_on.isoformat(),
        "settings": report_settings(report),
    }
    pdf.multi_cell(0, 5, _text(made), new_x="LMARGIN", new_y="NEXT")
    pdf.multi_cell(0, 5, _text(disclaimer()), new_x="LMARGIN", new_y="NEXT")
    section = None
    width = pdf.epw
    for figure in report_figures(report):
        if figure.section != section:
            section = figure.section
            pdf.ln(3)
            pdf.set_font("helvetica", "B", 11)
            pdf.cell(0, 7, _text(figure.section_label), new_x="LMARGIN", new_y="NEXT")
            pdf.set_font("helvetica", size=10)
        _figure_row(pdf, figure, width)
    return bytes(pdf.output())


def _figure_row(pdf: FPDF, figure: Figure, width: float) -> None:
    bold = figure.key in {"tax_due", "difference", "result", "profit"}
    pdf.set_font("helvetica", "B" if bold else "", 10)
    pdf.cell(width * 0.72, 6, _text(figure.label))
    pdf.cell(width * 0.28, 6, _text(format_money(figure.amount, "EUR")), align="R",
             new_x="LMARGIN", new_y="NEXT")  # fmt: skip


def disclaimer() -> str:
    return _(
        "Not tax advice: arithmetic on what you recorded, by the rules of the year's tax "
        "facts. Check it against your bank's tax certificates before you file."
    )
