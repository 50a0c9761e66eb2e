"""A help article on the yearly tax report (issue 22): what it computes, from which records,
and what it leaves out.

The report page links here ("What this report is and is not"). The figures it names
(allowance, treaty rates, Basiszins, Kleinunternehmer limits) are the year's tax facts,
which an administrator maintains; the article states the rules, not a year's numbers,
except the limits the law fixes from 2025. ``update_or_create`` makes the step safe to
run again (tests re-run it after a flush, see ``tests/conftest.py::shipped_content``).
"""

from django.db import migrations

SLUG = "tax-report"
TITLE = ("The tax report: what it is and is not", "Der Steuerbericht: was er ist und was nicht")
SUMMARY = (
    "Your capital income, rent and business income of a year, computed from what you "
    "recorded as a German return asks for them. Not tax advice and not a return.",
    "Deine Kapitalerträge, Mieten und betrieblichen Einnahmen eines Jahres, aus deinen "
    "Einträgen so berechnet, wie eine deutsche Steuererklärung sie abfragt. Keine "
    "Steuerberatung und keine Steuererklärung.",
)
BODY_EN = """The tax report (Tax in the menu) is arithmetic on what you recorded, by the rules of the year's tax facts, which an administrator maintains. It is not tax advice, not a tax return, and files nothing with ELSTER. Check it against your banks' annual tax certificates (Jahressteuerbescheinigung) before you file.

Each category's tax treatment decides where its income goes: dividends, interest and other capital income to the capital block, rent to Anlage V, business or creator income to the business block. Salary, which your employer's payroll taxes, and categories "not taxed here" are left out.

Capital income (Anlage KAP, KAP-INV):
- Dividends, interest and fund distributions are the year's payments. Give a fund or ETF its fund type on the source: its partial exemption (30 % equity, 15 % mixed, 60 % real estate, 80 % foreign real estate) stays untaxed.
- Vorabpauschale: record a fund year on the fund's page: units at year end, price per unit at the start and end of the year, and the day of purchase if bought that year. Per unit it is the start price × the year's Basiszins × 0.7, at most the year's price rise plus distributions, less the distributions, never below zero; times the units, a twelfth less for each full month before a purchase that year. It counts as received on the first working day of the next year: that of 2025 is in the report of 2026.
- Foreign withholding tax: enter it on the payment as "of which foreign tax" and give the source its country. It is credited up to the treaty rate and never above the German tax on that income. A dividend the allowance covers bears no German tax, so it credits nothing itself; its foreign tax waits in the bank's pot for later income of the year. What exceeds the treaty rate you can reclaim abroad.
- The saver's allowance of your filing status is used earliest income first. Record your allowance orders per bank: the bank is the source's "platform or payer", spelled the same way. You are warned when the orders exceed the allowance and get a suggested split from each bank's expected income.
- Church tax lowers the capital-gains tax by §32d EStG; set it and your filing status in the settings.
- The tax due is compared with what German banks withheld (tax withheld less its foreign part): the return adds or refunds the difference.

Rent (Anlage V), per property: rent, the costs you record by kind (fees a manager kept count as management) and depreciation: purchase price × building share at 2 % a year, 2.5 % for a building completed before 1925, 3 % from 2023, by month in the year of purchase. Record the purchase price, building share, year of completion and acquisition date on the source. The result is taxed at the marginal rate from your settings, an estimate.

Creator and business income: income less the costs you record and the fees platforms kept, at your marginal rate. The Kleinunternehmer monitor compares your turnover with 25,000 € for the previous year and 100,000 € for the current one (from 2025) and warns as you come close.

Amounts are converted to euros at the ECB rate of each payment's day. A payment without a rate is left out and named on the page.

What the report does not do:
- losses and loss pots (Verlustverrechnung)
- capital gains from sales
- the Günstigerprüfung, or the progressive tax on your whole income: the marginal rate is your own estimate
- VAT returns and trade tax
- special cases such as REITs and the special rules of foreign funds
- units of one fund bought at different times in a year: they are one holding per source"""
BODY_DE = """Der Steuerbericht (Steuern im Menü) ist Rechnerei mit dem, was du eingetragen hast, nach den Regeln der Steuerdaten des Jahres, die die Administration pflegt. Er ist keine Steuerberatung und keine Steuererklärung und übermittelt nichts an ELSTER. Prüf ihn vor der Abgabe an den Jahressteuerbescheinigungen deiner Banken.

Die steuerliche Behandlung jeder Kategorie legt fest, wohin ihre Einnahmen gehen: Dividenden, Zinsen und sonstige Kapitalerträge in den Kapitalteil, Mieten in die Anlage V, betriebliche und Creator-Einnahmen in den Betriebsteil. Gehalt, das die Lohnabrechnung deines Arbeitgebers versteuert, und Kategorien „hier nicht besteuert“ bleiben außen vor.

Kapitalerträge (Anlage KAP, KAP-INV):
- Dividenden, Zinsen und Fondsausschüttungen sind deine Zahlungen des Jahres. Gib einem Fonds oder ETF bei der Quelle seine Fondsart: Seine Teilfreistellung (30 % Aktienfonds, 15 % Mischfonds, 60 % Immobilienfonds, 80 % Auslands-Immobilienfonds) bleibt steuerfrei.
- Vorabpauschale: Trag auf der Seite des Fonds ein Fondsjahr ein, mit den Anteilen am Jahresende, dem Preis je Anteil am Anfang und Ende des Jahres und dem Kaufdatum, wenn du sie in dem Jahr gekauft hast. Je Anteil ist sie der Anfangspreis × Basiszins des Jahres × 0,7, höchstens der Kursanstieg des Jahres plus Ausschüttungen, abzüglich der Ausschüttungen, nie unter null; mal die Anteile, im Kaufjahr ein Zwölftel weniger für jeden vollen Monat vor dem Kauf. Sie gilt am ersten Werktag des Folgejahres als zugeflossen: Die für 2025 steht im Bericht 2026.
- Ausländische Quellensteuer: Trag sie bei der Zahlung als „davon ausländische Steuer“ ein und gib der Quelle ihr Land. Angerechnet wird sie bis zum Satz des Doppelbesteuerungsabkommens und nie über die deutsche Steuer auf diesen Ertrag. Eine Dividende, die der Pauschbetrag abdeckt, trägt keine deutsche Steuer und rechnet selbst nichts an; ihre Quellensteuer wartet im Topf der Bank auf spätere Erträge des Jahres. Was über dem Abkommenssatz liegt, kannst du im Ausland zurückfordern.
- Der Sparer-Pauschbetrag deiner Veranlagung wird mit den frühesten Erträgen zuerst verbraucht. Trag deine Freistellungsaufträge je Bank ein: Die Bank ist die „Plattform oder Zahler“ der Quelle, genau so geschrieben. Ertrag warnt dich, wenn die Aufträge den Pauschbetrag übersteigen, und schlägt eine Aufteilung nach den erwarteten Erträgen je Bank vor.
- Kirchensteuer senkt die Kapitalertragsteuer nach §32d EStG; sie und deine Veranlagung stellst du in den Einstellungen ein.
- Die fällige Steuer wird mit dem verglichen, was deutsche Banken einbehalten haben (einbehaltene Steuer ohne ihren ausländischen Teil): Die Differenz fordert die Erklärung nach oder erstattet sie.

Mieten (Anlage V), je Immobilie: die erhaltene Miete, die Kosten, die du nach Art einträgst (Gebühren, die eine Hausverwaltung von der Miete behält, zählen als Verwaltung), und die Abschreibung: Kaufpreis × Gebäudeanteil mit 2 % im Jahr, 2,5 % für ein vor 1925 fertiggestelltes Gebäude, 3 % ab 2023, im Kaufjahr monatsweise. Trag bei der Quelle Kaufpreis, Gebäudeanteil, Baujahr und Erwerbsdatum ein. Das Ergebnis wird mit dem Grenzsteuersatz aus deinen Einstellungen besteuert, eine Schätzung.

Creator- und betriebliche Einnahmen: Einnahmen abzüglich der eingetragenen Kosten und der Gebühren, die Plattformen behalten haben, mit deinem Grenzsteuersatz. Der Kleinunternehmer-Monitor vergleicht deinen Umsatz mit 25.000 € im Vorjahr und 100.000 € im laufenden Jahr (ab 2025) und warnt dich, wenn du nahe herankommst.

Beträge werden zum EZB-Kurs des Tages jeder Zahlung in Euro umgerechnet. Eine Zahlung ohne Kurs bleibt außen vor und wird auf der Seite genannt.

Was der Bericht nicht macht:
- Verluste und Verlusttöpfe (Verlustverrechnung)
- Veräußerungsgewinne
- die Günstigerprüfung und die progressive Steuer auf dein gesamtes Einkommen: Der Grenzsteuersatz ist deine eigene Schätzung
- Umsatzsteuererklärungen und Gewerbesteuer
- Sonderfälle wie REITs und die Sonderregeln ausländischer Fonds
- Anteile eines Fonds, die du in einem Jahr zu verschiedenen Zeiten gekauft hast: Sie sind ein Bestand je Quelle"""


def forwards(apps, schema_editor):  # type: ignore[no-untyped-def]
    apps.get_model("income", "HelpArticle").objects.update_or_create(
        slug=SLUG,
        defaults={
            "title_en": TITLE[0],
            "title_de": TITLE[1],
            "summary_en": SUMMARY[0],
            "summary_de": SUMMARY[1],
            "body_en": BODY_EN,
            "body_de": BODY_DE,
            "sort_order": 60,
            "is_published": True,
        },
    )


def backwards(apps, schema_editor):  # type: ignore[no-untyped-def]
    apps.get_model("income", "HelpArticle").objects.filter(slug=SLUG).delete()


class Migration(migrations.Migration):
    dependencies = [("income", "0020_category_tax_treatment")]
    operations = [migrations.RunPython(forwards, backwards)]
