"""Ship the income categories of the glossary seed and the German tax profiles.

Categories and help texts come from ``seeds/000`` (kinds of passive income, what suits
solopreneurs, the active kinds for contrast). Tax rates: German capital income tax
25 % plus 5.5 % solidarity surcharge = 26.375 %; with church tax k the income tax is
25 % / (1 + 0.25 k) (§ 32d EStG), so the total is 0.25 / (1 + 0.25 k) × (1 + 0.055 + k),
27.8186 % at 8 % and 27.9951 % at 9 %. Allowance 1,000 € (Sparer-Pauschbetrag since
2023); equity funds are 30 % tax-free (Teilfreistellung, § 20 InvStG).
"""

from decimal import ROUND_HALF_UP, Decimal

from django.db import migrations

SIX_PLACES = Decimal("0.000001")


def _church_rate(church: Decimal) -> Decimal:
    base = Decimal("0.25") / (1 + Decimal("0.25") * church)
    return (base * (1 + Decimal("0.055") + church)).quantize(SIX_PLACES, ROUND_HALF_UP)


GERMANY = Decimal("0.263750")

CATEGORIES = [
    # slug, model, passive, en, de, help en, help de
    ("etf-dividends", "capital", True, "ETF dividends", "ETF-Dividenden",
     "Dividends from equity ETFs and shares: capital that pays out (or reinvests) without further work.",
     "Dividendenerträge aus Aktien-ETFs und Aktien: Kapital, das ohne weitere Arbeit ausschüttet (oder thesauriert)."),
    ("p2p-interest", "capital", True, "P2P and savings interest", "P2P- und Sparzinsen",
     "Interest from P2P loans and savings accounts. Watch the default rate of P2P platforms.",
     "Zinszahlungen aus P2P-Krediten und Sparkonten. Achte bei P2P-Plattformen auf die Ausfallquote."),
    ("rent", "rental", True, "Rent", "Mieteinnahmen",
     "Rent from property, passive with professional property management; vacancy and running costs count.",
     "Mieteinnahmen aus Immobilien, passiv bei professioneller Hausverwaltung; Leerstand und laufende Kosten zählen mit."),
    ("licences", "flat", True, "Royalties and licences", "Lizenzen und Tantiemen",
     "Licence fees and royalties for books, music or software.",
     "Lizenzgebühren und Tantiemen für Bücher, Musik oder Software."),
    ("affiliate", "flat", True, "Affiliate sites", "Affiliate-Seiten",
     "Affiliate commissions from niche websites that draw organic traffic through evergreen SEO.",
     "Affiliate-Provisionen über automatisierte Nischenwebsites, die über Evergreen-SEO organisch Traffic erzeugen."),
    ("advertising", "flat", True, "Advertising", "Werbeeinnahmen",
     "Ad revenue from a blog, channel or newsletter; it moves with traffic and ad prices.",
     "Werbeeinnahmen aus Blog, Kanal oder Newsletter; sie schwanken mit Reichweite und Anzeigenpreisen."),
    ("online-courses", "subscription", True, "Online courses and e-books", "Onlinekurse und E-Books",
     "A course or e-book sold on a platform with an autopilot checkout.",
     "Onlinekurs oder E-Book über eine Plattform mit Autopilot-Checkout."),
    ("membership", "subscription", True, "Membership community", "Membership-Community",
     "A community with a monthly subscription and automated onboarding: MRR and churn tell whether it carries.",
     "Eine Community mit monatlichem Abo und automatisiertem Onboarding: MRR und Churn zeigen, ob sie trägt."),
    ("saas", "subscription", True, "SaaS tool", "SaaS-Tool",
     "A small SaaS tool that solves one clear problem, with self-service support.",
     "Ein SaaS-Mini-Tool mit klarer Problemlösung und Self-Service-Support."),
    ("other-passive", "flat", True, "Other passive income", "Sonstige passive Einnahmen",
     "Any other income that keeps flowing after the set-up without much more time.",
     "Alle anderen Einnahmen, die nach dem Aufbau ohne nennenswerten Zeiteinsatz weiterlaufen."),
    ("salary", "flat", False, "Salary", "Gehalt",
     "Classic employment income: active, it stops when the work stops. Counts in the passive share's denominator.",
     "Klassischer Angestelltenlohn: aktiv, er endet, wenn die Arbeit endet. Zählt im Nenner des Passivanteils."),
    ("freelance", "flat", False, "Freelance work", "Freelance-Aufträge",
     "Hourly freelance jobs: they do not scale without more of your time.",
     "Stundenbasierte Freelance-Aufträge: Sie skalieren nicht ohne zusätzlichen Zeiteinsatz."),
    ("consulting", "flat", False, "Consulting", "Beratung",
     "Consulting without a standardised product: ongoing active work.",
     "Beratungsmandate ohne standardisiertes Produkt: fortlaufend aktive Arbeit."),
    ("day-trading", "flat", False, "Day trading", "Day-Trading",
     "Day trading takes a lot of time every day: active income, however automated it looks.",
     "Day-Trading mit hohem täglichem Zeitaufwand: aktives Einkommen, so automatisiert es auch wirkt."),
]  # fmt: skip

TAX_PROFILES = [
    # slug, en, de, rate, allowance, partial exemption, flat
    ("de-capital-gains", "Germany — capital gains tax", "Deutschland — Abgeltungsteuer",
     GERMANY, Decimal("1000.00"), Decimal(0), False),
    ("de-capital-gains-church-8", "Germany — capital gains tax with 8 % church tax",
     "Deutschland — Abgeltungsteuer mit 8 % Kirchensteuer",
     _church_rate(Decimal("0.08")), Decimal("1000.00"), Decimal(0), False),
    ("de-capital-gains-church-9", "Germany — capital gains tax with 9 % church tax",
     "Deutschland — Abgeltungsteuer mit 9 % Kirchensteuer",
     _church_rate(Decimal("0.09")), Decimal("1000.00"), Decimal(0), False),
    ("de-equity-fund", "Germany — equity fund (30 % partial exemption)",
     "Deutschland — Aktienfonds (30 % Teilfreistellung)",
     GERMANY, Decimal("1000.00"), Decimal("0.300000"), False),
    ("flat-rate", "Flat rate (your own)", "Pauschalsatz (eigener)",
     Decimal(0), Decimal(0), Decimal(0), True),
]  # fmt: skip


def forwards(apps, schema_editor):  # type: ignore[no-untyped-def]
    category_model = apps.get_model("income", "IncomeCategory")
    for order, (slug, model, passive, en, de, help_en, help_de) in enumerate(CATEGORIES):
        category_model.objects.update_or_create(
            slug=slug,
            defaults={
                "model": model,
                "is_passive": passive,
                "name_en": en,
                "name_de": de,
                "help_en": help_en,
                "help_de": help_de,
                "sort_order": order,
            },
        )
    profile_model = apps.get_model("income", "TaxProfile")
    for order, (slug, en, de, rate, allowance, exemption, flat) in enumerate(TAX_PROFILES):
        profile_model.objects.update_or_create(
            slug=slug,
            defaults={
                "name_en": en,
                "name_de": de,
                "rate": rate,
                "yearly_allowance": allowance,
                "partial_exemption": exemption,
                "is_flat_rate": flat,
                "sort_order": order,
            },
        )


def backwards(apps, schema_editor):  # type: ignore[no-untyped-def]
    apps.get_model("income", "IncomeCategory").objects.filter(
        slug__in=[row[0] for row in CATEGORIES], sources__isnull=True
    ).delete()
    apps.get_model("income", "TaxProfile").objects.filter(
        slug__in=[row[0] for row in TAX_PROFILES], sources__isnull=True
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("income", "0002_income_domain")]
    operations = [migrations.RunPython(forwards, backwards)]
