"""A help article on what reaches beyond the browser tab (issue 24): the calendar feed,
alerts and the household, with the joint saver's allowance.

The settings page links to each of the three; the article says what each does and
what it keeps private. ``update_or_create`` makes the step safe to run again (tests
re-run it after a flush, see ``tests/conftest.py::shipped_content``).
"""

from django.db import migrations

SLUG = "alerts-calendar-household"
TITLE = (
    "Calendar feed, alerts and household",
    "Kalender-Feed, Benachrichtigungen und Haushalt",
)
SUMMARY = (
    "Expected payouts in your calendar app, alerts by e-mail, push or webhook, and a "
    "household that shares chosen sources with your partner.",
    "Erwartete Auszahlungen in deiner Kalender-App, Benachrichtigungen per E-Mail, Push "
    "oder Webhook und ein Haushalt, der ausgewählte Quellen mit deinem Partner teilt.",
)
BODY_EN = """Calendar feed: Settings → Calendar feed gives you a private address to subscribe to in any calendar app (Google, Apple, Thunderbird, Outlook). It shows the payouts each source is expected to bring and the payments that arrived, with the amounts. Whoever has the address sees them: do not share it, and use "Make a new address" if it got out; the old one stops working at once. "Turn the feed off" deletes it.

Alerts: Settings → Alerts. Add a channel:
- E-mail: to your account's address.
- ntfy: the server (https://ntfy.sh or your own) and a topic that is hard to guess; an access token if the topic is protected. Subscribe to the same topic in the ntfy app.
- Gotify: your server and the token of an application you made there.
- Webhook: an address of your own automation (Home Assistant, n8n, a script). Each delivery is signed: the header Ertrag-Signature carries t=<time> and v1=<HMAC-SHA256 of "<time>.<body>" with the channel's secret>.

Then choose the rules and where each goes:
- Payout overdue: a payout the income calendar expected in a month that has passed without one, told after the days of grace you set.
- Source behind plan: a source of a scenario more than 20 % behind its plan for three months, and when it is back.
- Scenario target and independence: when your passive income of the last twelve complete months comes to cover them, and when it no longer does. A rule tells changes, not what was already so when you switched it on.
- Import finished or failed.

The rules are checked every morning; "Check now" does it at once. The delivery log shows what was sent and what the other side answered. A failed delivery is tried again a few times; a channel that keeps failing is switched off until you switch it on again.

Household: Settings → Household. Make one and invite your partner by e-mail; the link works for 14 days, for an account with that address. Each of you chooses which of your own sources and scenarios the household sees: "can view" shows them, "can edit" also lets the others record their payments or change the scenario. Whatever you do not share stays yours alone. The household's page and dashboard add up the shared sources, each as its owner's pages compute it.

A married couple assessed jointly has a saver's allowance of 2,000 €. If you keep your books in two accounts, mark the household as a jointly assessed couple and set both filing statuses to joint: each tax report then has its share, 1,000 € and what the other's 1,000 € leaves unused because their capital income is lower, so that together you use 2,000 € once. If one account holds the income of both of you, set its filing status to joint and you have the whole 2,000 € there."""
BODY_DE = """Kalender-Feed: Einstellungen → Kalender-Feed gibt dir eine private Adresse, die du in jeder Kalender-App abonnierst (Google, Apple, Thunderbird, Outlook). Sie zeigt die Auszahlungen, die jede Quelle bringen soll, und die eingegangenen Zahlungen, mit den Beträgen. Wer die Adresse hat, sieht sie: Gib sie nicht weiter, und nimm „Neue Adresse erstellen“, wenn sie nach außen gelangt ist; die alte gilt dann sofort nicht mehr. „Feed ausschalten“ löscht sie.

Benachrichtigungen: Einstellungen → Benachrichtigungen. Leg einen Kanal an:
- E-Mail: an die Adresse deines Kontos.
- ntfy: der Server (https://ntfy.sh oder dein eigener) und ein schwer zu erratendes Thema; ein Zugangstoken, wenn das Thema geschützt ist. Abonniere dasselbe Thema in der ntfy-App.
- Gotify: dein Server und das Token einer Anwendung, die du dort angelegt hast.
- Webhook: eine Adresse deiner eigenen Automatisierung (Home Assistant, n8n, ein Skript). Jede Zustellung ist signiert: Der Header Ertrag-Signature trägt t=<Zeit> und v1=<HMAC-SHA256 von „<Zeit>.<Inhalt>“ mit dem Geheimnis des Kanals>.

Dann wähl die Regeln und wohin jede geht:
- Auszahlung überfällig: eine Auszahlung, die der Einnahmenkalender in einem vergangenen Monat erwartet hat und die nicht kam, gemeldet nach den Karenztagen, die du einstellst.
- Quelle hinter Plan: eine Quelle eines Szenarios, die drei Monate lang mehr als 20 % hinter ihrem Plan liegt, und wenn sie wieder im Plan ist.
- Szenarioziel und Unabhängigkeit: wenn dein passives Einkommen der letzten zwölf vollen Monate sie zu decken beginnt und wenn es sie nicht mehr deckt. Eine Regel meldet Änderungen, nicht das, was beim Einschalten schon so war.
- Import abgeschlossen oder fehlgeschlagen.

Die Regeln werden jeden Morgen geprüft; „Jetzt prüfen“ tut es sofort. Das Zustellprotokoll zeigt, was gesendet wurde und was die Gegenseite geantwortet hat. Eine fehlgeschlagene Zustellung wird einige Male wiederholt; ein Kanal, der immer wieder scheitert, wird abgeschaltet, bis du ihn wieder einschaltest.

Haushalt: Einstellungen → Haushalt. Leg einen an und lade deinen Partner per E-Mail ein; der Link gilt 14 Tage, für ein Konto mit dieser Adresse. Jeder von euch wählt, welche seiner eigenen Quellen und Szenarien der Haushalt sieht: „kann ansehen“ zeigt sie, „kann bearbeiten“ lässt die anderen auch ihre Zahlungen eintragen oder das Szenario ändern. Was du nicht teilst, bleibt nur deins. Die Seite und das Dashboard des Haushalts zählen die geteilten Quellen zusammen, jede so, wie die Seiten ihres Besitzers sie berechnen.

Ein zusammen veranlagtes Ehepaar hat einen Sparer-Pauschbetrag von 2.000 €. Führt ihr eure Bücher in zwei Konten, markiere den Haushalt als zusammen veranlagtes Paar und stellt beide die Veranlagung auf „gemeinsam“: Jeder Steuerbericht hat dann seinen Anteil, 1.000 € und was die 1.000 € des anderen ungenutzt lassen, weil seine Kapitalerträge niedriger sind, sodass ihr zusammen 2.000 € einmal nutzt. Hält ein Konto die Einnahmen von euch beiden, stell dort die Veranlagung auf „gemeinsam“, und die ganzen 2.000 € gelten dort."""


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
            "sort_order": 70,
            "is_published": True,
        },
    )


def backwards(apps, schema_editor):  # type: ignore[no-untyped-def]
    apps.get_model("income", "HelpArticle").objects.filter(slug=SLUG).delete()


class Migration(migrations.Migration):
    dependencies = [("households", "0001_initial"), ("income", "0021_help_tax_report")]
    operations = [migrations.RunPython(forwards, backwards)]
