"""Ship the glossary of ``seeds/000`` as help articles, in German (du-form) and English.

What counts as passive, examples of passive and of active income, what suits
solopreneurs, the seed's warning that passive is not without work, and the key figures
(MRR, ROI, churn) it names. Our own wording close to the seed; admins edit it later.
``update_or_create`` on the slug makes the step safe to run again (tests re-run it
after a flush, see ``tests/conftest.py::shipped_content``).
"""

from django.db import migrations

# slug, title en, title de, summary en, summary de, body en, body de
ARTICLES = [
    (
        "passive-income",
        "What counts as passive income",
        "Was als passives Einkommen zählt",
        "Income that keeps coming in after a set-up or investment phase, "
        "without much further time from you.",
        "Einnahmen, die nach einer Aufbau- oder Investitionsphase ohne nennenswerten "
        "weiteren Zeiteinsatz weiterlaufen.",
        """Passive income is cash flow that keeps coming in after an initial phase of building or investing, without much additional time from you.

Typical sources are:
- dividends and interest
- rent
- licence fees and royalties
- subscription-based digital products such as online courses and membership communities
- affiliate programmes and advertising, especially for influencers

What matters is not what the income is called but whether it keeps running without ongoing work. Hourly freelance jobs or a salary are active: they only grow when you put in more time.

That is why every source in Ertrag has a category: passive categories count towards your passive income, active ones are there for comparison.""",
        """Passive Einnahmen sind Cashflows, die nach einer anfänglichen Aufbau- oder Investitionsphase ohne nennenswerten zusätzlichen Zeiteinsatz weiterlaufen.

Typische Quellen sind:
- Dividenden und Zinsen
- Mieteinnahmen
- Lizenz- und Tantiemenzahlungen
- Abo-basierte digitale Produkte wie Onlinekurse und Membership-Communities
- Affiliate-Programme und Werbung, gerade für Influencer

Entscheidend ist nicht, wie eine Einnahme heißt, sondern ob sie ohne fortlaufende Arbeit weiterläuft. Stundenbasierte Aufträge oder ein Gehalt sind aktiv: Sie wachsen nur, wenn Du mehr Zeit einsetzt.

Deshalb hat in Ertrag jede Quelle eine Kategorie: Passive Kategorien zählen zu Deinem passiven Einkommen, aktive dienen zum Vergleich.""",
    ),
    (
        "passive-examples",
        "Examples of passive income",
        "Beispiele für passive Einnahmen",
        "Dividends, interest, rent, royalties, affiliate commissions and subscriptions.",
        "Dividenden, Zinsen, Mieten, Lizenzen, Affiliate-Provisionen und Abos.",
        """These sources keep running largely without you once they are built:
- dividends from equity ETFs
- interest from P2P loans
- rent, with professional property management
- licence fees for books, music or software
- affiliate commissions from automated niche websites
- subscription-based online courses or SaaS tools

Even these sources take some work: property management charges fees, a course needs updating, a niche site needs new content. Enter those hours and costs with the source, and you see how passive it really is.""",
        """Diese Quellen laufen nach dem Aufbau weitgehend ohne Dich weiter:
- Dividendenerträge aus Aktien-ETFs
- Zinszahlungen aus P2P-Krediten
- Mieteinnahmen bei professioneller Hausverwaltung
- Lizenzgebühren für Bücher, Musik oder Software
- Affiliate-Provisionen über automatisierte Nischenwebsites
- Abo-basierte Onlinekurse oder SaaS-Tools

Auch diese Quellen machen etwas Arbeit: Die Hausverwaltung kostet Gebühren, ein Kurs braucht Pflege, eine Nischenseite neue Inhalte. Trag diese Stunden und Kosten bei der Quelle ein, dann siehst Du, wie passiv sie wirklich ist.""",
    ),
    (
        "active-examples",
        "Examples of active income",
        "Beispiele für aktive Einnahmen",
        "Income that needs your work all the time and does not scale without more of it.",
        "Einnahmen, die fortlaufend Deine Arbeit brauchen und ohne mehr Zeit nicht wachsen.",
        """Active income needs your work all the time and does not scale without more of your time:
- hourly freelance jobs
- a regular salary
- day trading that takes hours every day
- consulting without a standardised product

You can record active income in Ertrag too. It does not count towards your passive income, but it shows, for comparison, how much of what you earn already comes in without ongoing work.""",
        """Aktive Einnahmen erfordern fortlaufend Deine Arbeit und skalieren nicht ohne zusätzlichen Zeiteinsatz:
- stundenbasierte Freelance-Aufträge
- klassischer Angestelltenlohn
- Day-Trading mit hohem täglichem Zeitaufwand
- Beratungsmandate ohne standardisiertes Produkt

Auch aktive Einnahmen kannst Du in Ertrag erfassen. Sie zählen nicht zu Deinem passiven Einkommen, zeigen aber zum Vergleich, welcher Anteil Deiner Einnahmen schon ohne laufende Arbeit hereinkommt.""",
    ),
    (
        "solopreneurs",
        "What suits solopreneurs",
        "Was zu Solopreneuren passt",
        "Scalable digital assets, steadied by ETF savings plans, with automation keeping "
        "the upkeep low.",
        "Skalierbare digitale Assets, stabilisiert durch ETF-Sparpläne, mit Automatisierung "
        "für wenig Pflegeaufwand.",
        """For solo entrepreneurs, scalable digital assets are a good fit:
- an online course or e-book on a platform with an automated checkout
- a membership community with a monthly subscription and automated onboarding
- an affiliate blog in a clear niche that draws organic traffic through evergreen SEO
- a small SaaS tool that solves one clear problem, with self-service support

ETF savings plans or high-yield micro-investments add stability to your passive cash flow.

The strategic advantage: predictable cash flow, more cash for new projects, and revenue that no longer depends on your working hours. Automated sales funnels, self-service platforms and outsourced maintenance and customer support keep the effort low and the income truly passive.""",
        """Für Solo-Unternehmerinnen und -Unternehmer bieten sich skalierbare digitale Assets an:
- ein Onlinekurs oder E-Book über eine Plattform mit automatisiertem Checkout
- eine Membership-Community mit monatlichem Abo und automatisiertem Onboarding
- ein Affiliate-Blog in einer klaren Nische, der über Evergreen-SEO organisch Besucher gewinnt
- ein SaaS-Mini-Tool, das ein klares Problem löst, mit Self-Service-Support

Ergänzend stabilisieren ETF-Sparpläne oder renditestarke Mikro-Investments Deinen passiven Cashflow.

Der strategische Vorteil: planbarer Cashflow, mehr Liquidität für neue Projekte und ein Umsatz, der nicht mehr an Deine Arbeitszeit gekoppelt ist. Automatisierte Sales-Funnels, Self-Service-Plattformen und das Auslagern von Wartung und Kundenbetreuung halten den Aufwand gering und sichern echte Passivität.""",
    ),
    (
        "passive-is-not-without-work",
        "Passive does not mean no work",
        "Passiv heißt nicht ohne Arbeit",
        "Building a source takes time; count it to see what the source really earns per hour.",
        "Der Aufbau einer Quelle kostet Zeit; rechne sie mit, dann siehst Du, was die "
        "Quelle pro Stunde wirklich bringt.",
        """Don't be dazzled: "passive" does not mean "without work". Especially at the start, you put a lot of time into building, into the systems and into the content.

If you automate smartly and deliver real value, it can grow into an income booster in the long run, one that earns even while you sleep.

To keep the sums honest, Ertrag records the effort of every source:
- the money invested up front and the setup hours
- the maintenance hours per month and the monthly costs
- the value of one hour of your time (in your settings)

From these follows what a source really earns per hour you put in (its effective hourly rate), and its return with your hours valued as money. Then you see whether it deserves to be called passive.""",
        """Lass Dich nicht blenden: „Passiv“ bedeutet nicht „ohne Arbeit“. Gerade am Anfang investierst Du viel Zeit in den Aufbau, die Systeme und die Inhalte.

Wenn Du jedoch smart automatisierst und echten Mehrwert lieferst, kann sich daraus langfristig ein Einkommens-Booster entwickeln, der auch im Schlaf verdient.

Damit Du ehrlich rechnest, erfasst Ertrag bei jeder Quelle den Aufwand:
- das eingesetzte Geld und die Aufbaustunden
- die Pflegestunden pro Monat und die laufenden Kosten
- den Wert einer Stunde Deiner Zeit (in Deinen Einstellungen)

Daraus ergibt sich, was eine Quelle pro eingesetzter Stunde wirklich abwirft (ihr effektiver Stundenlohn), und ihre Rendite, wenn Deine Stunden als Geld zählen. Dann siehst Du, ob sie den Namen „passiv“ verdient.""",
    ),
    (
        "key-figures",
        "Key figures: MRR, ROI and churn",
        "Kennzahlen: MRR, ROI und Churn",
        "The figures that show when a passive model pays off.",
        "Die Kennzahlen, die zeigen, wann ein passives Modell wirtschaftlich trägt.",
        """Key figures show you when a passive model pays off:
- Monthly recurring revenue (MRR): what all your subscribers pay together each month, subscribers times the monthly price.
- Return on investment (ROI): what a source has earned, after its costs, compared with the money you put in.
- Churn rate: the share of subscribers who cancel in a month. Even a few per cent a month eat up much of the growth.

Ertrag works these figures out from your sources and payments. It also counts the hours a source takes: only then do you see what it really earns per hour.""",
        """Kennzahlen zeigen Dir, wann ein passives Modell wirtschaftlich trägt:
- Monatlich wiederkehrender Umsatz (MRR): was alle Abonnentinnen und Abonnenten zusammen jeden Monat zahlen, also Anzahl mal Monatspreis.
- Return on Invest (ROI): was eine Quelle nach Abzug ihrer Kosten im Verhältnis zu dem Geld abwirft, das Du hineingesteckt hast.
- Churn-Rate: der Anteil der Abonnenten, die in einem Monat kündigen. Schon wenige Prozent im Monat fressen einen großen Teil des Wachstums auf.

Ertrag berechnet diese Kennzahlen aus Deinen Quellen und Zahlungen. Es rechnet auch die Stunden mit, die eine Quelle kostet: Erst dann siehst Du, was sie wirklich pro Stunde bringt.""",
    ),
]


def forwards(apps, schema_editor):  # type: ignore[no-untyped-def]
    article_model = apps.get_model("income", "HelpArticle")
    for order, (slug, title_en, title_de, summary_en, summary_de, body_en, body_de) in enumerate(
        ARTICLES
    ):
        article_model.objects.update_or_create(
            slug=slug,
            defaults={
                "title_en": title_en,
                "title_de": title_de,
                "summary_en": summary_en,
                "summary_de": summary_de,
                "body_en": body_en,
                "body_de": body_de,
                "sort_order": order,
                "is_published": True,
            },
        )


def backwards(apps, schema_editor):  # type: ignore[no-untyped-def]
    apps.get_model("income", "HelpArticle").objects.filter(
        slug__in=[row[0] for row in ARTICLES]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("income", "0007_help_articles")]
    operations = [migrations.RunPython(forwards, backwards)]
