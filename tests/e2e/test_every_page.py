"""Every page, as a person sees it: at a phone's (375 px) and a desktop's (1280 px) width,
on a light and a dark device, in English and German.

The pages come from the URL configuration, so a new page cannot be missed: every route
is either visited (``PAGES``, filled from the demo account's objects) or named in
``SKIPPED`` with the reason (an API, a file download, a POST-only action, a fragment
htmx swaps into a page visited here). A route in neither fails
``test_every_html_route_is_visited_or_skipped_with_a_reason`` by name.

On each page the sweep holds: it answers 200 in the chosen language, nothing scrolls
sideways, no visible text is cut off (``clipped_text``), and the browser reports no
console error, no uncaught exception and no refused script or style (the content
security policy's ``securitypolicyviolation``). Every finding of a run is collected and
listed at the end: page, theme, language, width, what.

Screenshots ``test-artifacts/every-<page>-<theme>-<language>-<width>.png`` are taken on
a dark phone and a light desktop, where a person looks.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.contrib.auth.tokens import default_token_generator
from django.urls import get_resolver
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from alerts.services import alert_channel_create
from households import services as household_services
from imports import services as import_services
from income.demo import demo_create
from income.models import (
    AssetValue,
    Cost,
    EffortLog,
    FundYear,
    HelpArticle,
    IncomeSource,
    Payment,
    SubscriptionPeriod,
)
from portability.services.export import account_export
from portability.services.import_jobs import account_import_file
from reports.jobs import recompute_job_create
from reports.models import JobReason
from reports.services import report_recompute
from scenarios.demo import demo_scenarios_create
from scenarios.models import Scenario
from tests.e2e.conftest import ARTIFACTS, clipped_text
from tests.e2e.language import english_on
from tests.e2e.steps import german_csv, log_in
from tests.factories import SourceFactory, UserFactory
from tests.test_ownership import _walk

PASSWORD = "demo-pass-12345"
THEMES = ("light", "dark")
WIDTHS = (375, 1280)
LANGUAGES = ("en", "de")
# Where a person looks at the pictures: a dark phone and a light desktop.
SCREENSHOTS = {("dark", 375), ("light", 1280)}
VISITOR, USER, STAFF = "visitor", "user", "staff"
CALCULATOR = (
    "/calculator/?initial_investment=10000&annual_return=5&investment_period=10"
    "&tax_rate=15&additional_income=1000"
)
STRESS = "/scenarios/stress-test/?dividend_cut=30&churn_spike=10&ad_revenue_drop=40&vacancy=10"


@dataclass(frozen=True)
class Demo:
    """The demo account's objects whose pages the sweep opens."""

    user: User
    capital_source: int  # an ETF: values over time
    subscription_source: int  # a club: members by month
    effort_source: int  # freelance work: logged hours
    payment: int
    period: int
    effort_log: int
    asset_value: int
    cost: int  # the flat's: its source takes costs
    fund_year: int  # the ETF's: its source is a fund
    scenarios: tuple[int, int]
    upload: int
    job: int
    data_import: int  # the admin's import of the demo's export
    alert_channel: int  # a webhook, with its signing secret on the page
    household_source: int  # the partner's, shared with the demo's household to view
    household_join: str  # the link of an invitation to the admin's address
    help_slug: str
    reset_path: str
    own_texts: tuple[str, ...]  # what the user typed (names, descriptions): no German needed


@dataclass(frozen=True)
class Visit:
    name: str  # for the findings and the screenshot's file name
    url: str
    who: str  # VISITOR (logged out), USER (the demo account) or STAFF (the admin)
    allow_clipped: str = ""  # why this page may cut text (Django's own admin only)


# route name -> the visits that show it, built from the demo's objects
PAGES: dict[str, Callable[[Demo], list[Visit]]] = {
    # logged out
    "home": lambda d: [Visit("home", "/", VISITOR)],
    "login": lambda d: [Visit("login", "/accounts/login/", VISITOR)],
    "signup": lambda d: [Visit("signup", "/accounts/signup/", VISITOR)],
    "password_reset": lambda d: [Visit("password-reset", "/accounts/password_reset/", VISITOR)],
    "password_reset_done": lambda d: [
        Visit("password-reset-done", "/accounts/password_reset/done/", VISITOR)
    ],
    "password_reset_confirm": lambda d: [
        Visit("password-reset-confirm", d.reset_path, VISITOR),
        Visit("password-reset-invalid", "/accounts/reset/MQ/not-a-token/", VISITOR),
    ],
    "password_reset_complete": lambda d: [
        Visit("password-reset-complete", "/accounts/reset/done/", VISITOR)
    ],
    "calculator": lambda d: [
        Visit("calculator-empty", "/calculator/", VISITOR),
        Visit("calculator", CALCULATOR, USER),  # its result, under the full header
    ],
    "help_index": lambda d: [Visit("help", "/help/", VISITOR)],
    "help_figures": lambda d: [Visit("help-figures", "/help/figures/", USER)],
    "help_article": lambda d: [Visit("help-article", f"/help/{d.help_slug}/", VISITOR)],
    # the demo account
    "dashboard": lambda d: [Visit("dashboard", "/dashboard/", USER)],
    "income_calendar": lambda d: [Visit("calendar", "/calendar/", USER)],
    "payment_list": lambda d: [Visit("payments", "/payments/", USER)],
    "payment_edit": lambda d: [Visit("payment-edit", f"/payments/{d.payment}/edit/", USER)],
    "payment_delete": lambda d: [Visit("payment-delete", f"/payments/{d.payment}/delete/", USER)],
    "source_list": lambda d: [Visit("sources", "/sources/", USER)],
    "source_create": lambda d: [Visit("source-new", "/sources/new/", USER)],
    "source_detail": lambda d: [
        Visit("source-capital", f"/sources/{d.capital_source}/", USER),
        Visit("source-subscription", f"/sources/{d.subscription_source}/", USER),
        Visit("source-effort", f"/sources/{d.effort_source}/", USER),
    ],
    "source_edit": lambda d: [Visit("source-edit", f"/sources/{d.capital_source}/edit/", USER)],
    "source_delete": lambda d: [
        Visit("source-delete", f"/sources/{d.capital_source}/delete/", USER)
    ],
    "period_create": lambda d: [
        Visit("period-new", f"/sources/{d.subscription_source}/periods/new/", USER)
    ],
    "period_edit": lambda d: [Visit("period-edit", f"/periods/{d.period}/edit/", USER)],
    "period_delete": lambda d: [Visit("period-delete", f"/periods/{d.period}/delete/", USER)],
    "effort_create": lambda d: [
        Visit("effort-new", f"/sources/{d.effort_source}/effort/new/", USER)
    ],
    "effort_edit": lambda d: [Visit("effort-edit", f"/effort/{d.effort_log}/edit/", USER)],
    "effort_delete": lambda d: [Visit("effort-delete", f"/effort/{d.effort_log}/delete/", USER)],
    "asset_value_create": lambda d: [
        Visit("value-new", f"/sources/{d.capital_source}/values/new/", USER)
    ],
    "asset_value_edit": lambda d: [Visit("value-edit", f"/values/{d.asset_value}/edit/", USER)],
    "asset_value_delete": lambda d: [
        Visit("value-delete", f"/values/{d.asset_value}/delete/", USER)
    ],
    "tax_report_index": lambda d: [Visit("tax-index", "/tax/", USER)],
    "tax_report": lambda d: [
        Visit("tax-report", f"/tax/{timezone.localdate().year - 1}/", USER),
        Visit("tax-report-this-year", f"/tax/{timezone.localdate().year}/", USER),
    ],
    "allowance_orders": lambda d: [
        Visit("allowance-orders", f"/tax/{timezone.localdate().year}/allowance-orders/", USER)
    ],
    "cost_create": lambda d: [
        Visit("cost-new", f"/sources/{Cost.objects.get(pk=d.cost).source_id}/costs/new/", USER)
    ],
    "cost_edit": lambda d: [Visit("cost-edit", f"/costs/{d.cost}/edit/", USER)],
    "cost_delete": lambda d: [Visit("cost-delete", f"/costs/{d.cost}/delete/", USER)],
    "fund_year_create": lambda d: [
        Visit(
            "fund-year-new",
            f"/sources/{FundYear.objects.get(pk=d.fund_year).source_id}/fund-years/new/",
            USER,
        )
    ],
    "fund_year_edit": lambda d: [Visit("fund-year-edit", f"/fund-years/{d.fund_year}/edit/", USER)],
    "fund_year_delete": lambda d: [
        Visit("fund-year-delete", f"/fund-years/{d.fund_year}/delete/", USER)
    ],
    "scenario_list": lambda d: [Visit("scenarios", "/scenarios/", USER)],
    "scenario_create": lambda d: [Visit("scenario-new", "/scenarios/new/", USER)],
    "scenario_detail": lambda d: [
        Visit("scenario-savings", f"/scenarios/{d.scenarios[0]}/", USER),
        Visit("scenario-sources", f"/scenarios/{d.scenarios[1]}/", USER),
    ],
    "scenario_edit": lambda d: [Visit("scenario-edit", f"/scenarios/{d.scenarios[1]}/edit/", USER)],
    "scenario_delete": lambda d: [
        Visit("scenario-delete", f"/scenarios/{d.scenarios[0]}/delete/", USER)
    ],
    "scenario_compare": lambda d: [
        Visit("scenario-compare", "/scenarios/compare/?ids={},{}".format(*d.scenarios), USER)
    ],
    "scenario_stress": lambda d: [
        Visit("stress-test-empty", "/scenarios/stress-test/", USER),
        Visit("stress-test", STRESS, USER),
    ],
    "reports": lambda d: [Visit("reports", "/reports/", USER)],
    "report_job": lambda d: [Visit("report-job", f"/reports/jobs/{d.job}/", USER)],
    "import_upload": lambda d: [Visit("import-new", "/imports/new/", USER)],
    "import_detail": lambda d: [Visit("import-preview", f"/imports/{d.upload}/", USER)],
    "settings": lambda d: [Visit("settings", "/settings/", USER)],
    "data_page": lambda d: [Visit("settings-data", "/settings/data/", USER)],
    "alert_settings": lambda d: [Visit("settings-alerts", "/settings/alerts/", USER)],
    "alert_channel_edit": lambda d: [
        Visit("settings-alert-channel", f"/settings/alerts/channels/{d.alert_channel}/", USER)
    ],
    "calendar_feed": lambda d: [Visit("settings-calendar-feed", "/settings/calendar-feed/", USER)],
    # Households (issue 24): the demo owns one with a partner; the admin is in none.
    "household": lambda d: [
        Visit("household", "/household/", USER),
        Visit("household-start", "/household/", STAFF),
    ],
    "household_join": lambda d: [Visit("household-join", d.household_join, STAFF)],
    "household_dashboard": lambda d: [Visit("household-dashboard", "/household/dashboard/", USER)],
    "household_source": lambda d: [
        Visit("household-source-edit", f"/household/sources/{d.capital_source}/", USER),
        Visit("household-source-view", f"/household/sources/{d.household_source}/", USER),
    ],
    "household_scenario": lambda d: [
        Visit("household-scenario", f"/household/scenarios/{d.scenarios[0]}/", USER)
    ],
    # An import goes into an account without data: the admin's, from the demo's export;
    # the page when done (its other states are photographed in test_data_import_job).
    "data_import_job": lambda d: [
        Visit("settings-data-import", f"/settings/data/import/{d.data_import}/", STAFF)
    ],
    "password_change": lambda d: [Visit("password-change", "/accounts/password_change/", USER)],
    "password_change_done": lambda d: [
        Visit("password-change-done", "/accounts/password_change/done/", USER)
    ],
    # Accounts on django-allauth (issue 19): its pages in our layout.
    "logout": lambda d: [Visit("logout", "/accounts/logout/", USER)],
    "account_change_password": lambda d: [
        Visit("account-password-change", "/accounts/password/change/", USER)
    ],
    "account_email": lambda d: [Visit("account-email", "/accounts/email/", USER)],
    "account_reauthenticate": lambda d: [
        Visit("account-reauthenticate", "/accounts/reauthenticate/", USER)
    ],
    "account_reset_password": lambda d: [
        Visit("account-password-reset", "/accounts/password/reset/", VISITOR)
    ],
    "account_reset_password_done": lambda d: [
        Visit("account-password-reset-done", "/accounts/password/reset/done/", VISITOR)
    ],
    "account_reset_password_from_key_done": lambda d: [
        Visit("account-password-reset-key-done", "/accounts/password/reset/key/done/", VISITOR)
    ],
    "account_email_verification_sent": lambda d: [
        Visit("account-verification-sent", "/accounts/confirm-email/", VISITOR)
    ],
    "account_inactive": lambda d: [Visit("account-inactive", "/accounts/inactive/", VISITOR)],
    "mfa_index": lambda d: [Visit("mfa", "/accounts/2fa/", USER)],
    "mfa_activate_totp": lambda d: [Visit("mfa-totp", "/accounts/2fa/totp/activate/", USER)],
    "mfa_list_webauthn": lambda d: [Visit("mfa-passkeys", "/accounts/2fa/webauthn/", USER)],
    "mfa_add_webauthn": lambda d: [Visit("mfa-passkey-add", "/accounts/2fa/webauthn/add/", USER)],
    "usersessions_list": lambda d: [Visit("sessions", "/accounts/sessions/", USER)],
    "api_token_list": lambda d: [Visit("api-tokens", "/accounts/tokens/", USER)],
    "socialaccount_connections": lambda d: [Visit("sso-connections", "/accounts/3rdparty/", USER)],
    "socialaccount_login_cancelled": lambda d: [
        Visit("sso-cancelled", "/accounts/3rdparty/login/cancelled/", VISITOR)
    ],
}

ADMIN = "Django's own admin: its change list scrolls inside a box of its own"
# The admin is Django's; its index and one change list show it holds with our styles.
ADMIN_PAGES = [
    Visit("admin", "/admin/", STAFF),
    Visit("admin-categories", "/admin/income/incomecategory/", STAFF, allow_clipped=ADMIN),
]

FRAGMENT = "an htmx fragment, not a page; seen inside the page that loads it"
DOWNLOAD = "a file download, not a page"
POST_ONLY = "POST only: an action that redirects, no page of its own"
# route name -> why the sweep does not open it
SKIPPED: dict[str, str] = {
    "health": "a JSON health check for the load balancer",
    "manifest": "the web app manifest (JSON)",
    "api-schema": "the OpenAPI schema (YAML)",
    "api-docs": "Swagger UI, a third party's page (its policy is held in "
    "test_content_security_policy)",
    "data_export": DOWNLOAD,
    "reports_csv": DOWNLOAD,
    "payments_export": DOWNLOAD,
    "tax_report_csv": DOWNLOAD,
    "tax_report_pdf": DOWNLOAD,
    "sources_export": DOWNLOAD,
    "import_rejected": DOWNLOAD,
    "import_status": FRAGMENT + " (the import page polls it while an import runs)",
    "scenario_behind_plan": FRAGMENT + " (the dashboard)",
    "report_received": FRAGMENT + " (the stress test)",
    "scenario_preview": POST_ONLY + " (the scenario form's live preview, a fragment)",
    "data_import": POST_ONLY,
    "account_delete": POST_ONLY + " (its confirmation is on the data page)",
    "report_recompute": POST_ONLY,
    "scenario_clone": POST_ONLY,
    "scenario_from_calculator": POST_ONLY,
    "scenario_claim": "redirects at once: to the scenario it saves, or the list",
    "import_mapping_delete": POST_ONLY,
    "payment_create": POST_ONLY + " (the quick-add form on the payments page)",
    "payment_bulk": POST_ONLY,
    "payment_undo": POST_ONLY,
    "language_switch": POST_ONLY + " (the sweep switches language with it)",
    "theme_switch": POST_ONLY + " (the header's appearance button)",
    "account_login": "the same page as login (/accounts/login/)",
    "account_signup": "the same page as signup (/accounts/signup/)",
    "account_logout": "the same page as logout (/accounts/logout/)",
    "account_set_password": "redirects to the password change: the demo has a password",
    "account_confirm_email": "a signed link from the verification e-mail "
    "(tests/web/test_signup_and_verification.py)",
    "account_reset_password_from_key": "a signed link from the reset e-mail "
    "(tests/web/test_accounts.py)",
    "account_confirm_login_code": "log-in by e-mailed code is not switched on",
    "account_request_reauthentication_code": "log-in by e-mailed code is not switched on",
    "account_confirm_reauthentication_code": "log-in by e-mailed code is not switched on",
    "mfa_authenticate": "a step of a log-in with a second factor "
    "(tests/e2e/test_second_factor_journey.py)",
    "mfa_reauthenticate": "a step asked for by a sensitive action with a second factor "
    "(tests/e2e/test_second_factor_journey.py)",
    "mfa_reauthenticate_webauthn": POST_ONLY + " (a passkey's answer)",
    "mfa_login_webauthn": POST_ONLY + " (a passkey's answer; tests/e2e/test_passkey_journey.py)",
    "mfa_deactivate_totp": "needs an authenticator app set up "
    "(tests/e2e/test_second_factor_journey.py)",
    "mfa_view_recovery_codes": "needs an authenticator app set up "
    "(tests/e2e/test_second_factor_journey.py)",
    "mfa_generate_recovery_codes": "needs an authenticator app set up "
    "(tests/e2e/test_second_factor_journey.py)",
    "mfa_download_recovery_codes": DOWNLOAD,
    "mfa_edit_webauthn": "needs a passkey (tests/e2e/test_passkey_journey.py)",
    "mfa_remove_webauthn": "needs a passkey (tests/e2e/test_passkey_journey.py)",
    "api_token_revoke": "a confirmation for one token: needs a token "
    "(tests/web/test_sessions_and_tokens.py)",
    "openid_connect_login": "redirects to the OpenID Connect provider "
    "(tests/e2e/test_single_sign_on.py)",
    "openid_connect_callback": "the provider's redirect back (tests/e2e/test_single_sign_on.py)",
    "socialaccount_login_error": "allauth answers it 401 after a failed single sign-on "
    "(tests/e2e/test_single_sign_on.py); opened directly it is that error",
    "socialaccount_signup": "a step of a first single sign-on with a taken address",
    "accounts/social/connections/": "allauth's old address: a redirect to /accounts/3rdparty/",
    "accounts/social/login/cancelled/": "allauth's old address: a redirect",
    "accounts/social/login/error/": "allauth's old address: a redirect",
    "accounts/social/signup/": "allauth's old address: a redirect",
    "digest_unsubscribe": "a signed link from an e-mail: a one-line answer, no page to lay out",
    "alert_channel_add": POST_ONLY + " (the alerts page's form; a refusal shows that page)",
    "alert_channel_action": POST_ONLY + " (a channel's buttons on the alerts page)",
    "alert_rules_save": POST_ONLY + " (the alerts page's rules; a refusal shows that page)",
    "alerts_check": POST_ONLY + " (the alerts page's “Check now”)",
    "household_create": POST_ONLY + " (the household page's form; a refusal shows that page)",
    "household_invite": POST_ONLY + " (the household page's form; a refusal shows that page)",
    "household_invitation_revoke": POST_ONLY + " (an open invitation's button)",
    "household_member_remove": POST_ONLY + " (a member's button on the household page)",
    "household_leave": POST_ONLY + " (the household page's “Leave…”)",
    "household_joint": POST_ONLY + " (the household page's switch; a refusal shows that page)",
    "household_shares": POST_ONLY + " (“What I share”; a refusal shows the household page)",
    "calendar_feed_ics": "the private calendar feed: an iCalendar file for calendar apps "
    "(tests/e2e/test_calendar_feed_journey.py)",
}


def html_routes(urlconf: str | None = None) -> set[str]:
    """Every route's name, but the API's (JSON) and the admin's (``ADMIN_PAGES``)."""
    return {
        route.name
        for route in _walk(get_resolver(urlconf))
        if not route.name.startswith("api-") or route.name in ("api-schema", "api-docs")
        if route.namespace.split(":")[0] != "admin"
    }


def test_every_html_route_is_visited_or_skipped_with_a_reason() -> None:
    missing = sorted(html_routes() - set(PAGES) - set(SKIPPED))
    assert not missing, (
        f"Pages the sweep does not open; add each to PAGES (or SKIPPED with a reason): {missing}"
    )


def test_the_sweep_notices_a_new_page() -> None:
    routes = html_routes("tests.ownership_urls_fixture")
    assert sorted(routes - set(PAGES) - set(SKIPPED)) == ["thing-detail"]


def test_every_listed_route_still_exists_and_is_listed_once() -> None:
    stale = sorted((set(PAGES) | set(SKIPPED)) - html_routes())
    assert not stale, f"listed in the sweep but no longer routed: {stale}"
    both = sorted(set(PAGES) & set(SKIPPED))
    assert not both, f"both visited and skipped: {both}"


# ----------------------------------------------------------------------------- the sweep

# Collected in the page before any of its scripts: what the content security policy refused.
COLLECT = """
window.__csp = [];
document.addEventListener('securitypolicyviolation', e =>
  window.__csp.push(`${e.violatedDirective} refused ${e.blockedURI || 'inline'}`
                    + ` (${e.sourceFile || ''}:${e.lineNumber || ''})`));
"""
# Loaded: no htmx request running and every chart drawn.
SETTLED = """() => !document.querySelector('.htmx-request')
  && [...document.querySelectorAll('canvas[data-chart-source]')]
       .every(c => window.Chart && Chart.getChart(c) !== undefined)"""
# The innermost elements that reach past the window's right edge (not those a scrolling
# box of their own holds): what to fix.
TOO_WIDE = """width => [...document.querySelectorAll('body *')]
  .filter(e => {
    if (e.getBoundingClientRect().right <= width + 1) return false;
    for (let box = e.parentElement; box && box !== document.body; box = box.parentElement) {
      if (getComputedStyle(box).overflowX !== 'visible') return false;
    }
    return true;
  })
  .slice(-3).map(e => `<${e.tagName.toLowerCase()} class="${e.className}">`
                      + ` ${(e.innerText || '').trim().slice(0, 40)}`)"""

# A drop-down shows its chosen option in one line and cuts what does not fit, which
# ``clipped_text`` cannot see (a select's text is not laid out as the page's). An option
# longer than the page's whole column fits no layout at that width: the phone's own
# list shows it whole, so only what a wider box would show counts (a drop-down squeezed
# beside a button, in a narrow column, or padded too much).
CUT_CHOICES = """() => {
  const context = document.createElement('canvas').getContext('2d');
  const main = document.querySelector('main') || document.body;
  const column = main.clientWidth - parseFloat(getComputedStyle(main).paddingLeft)
    - parseFloat(getComputedStyle(main).paddingRight);
  return [...document.querySelectorAll('select:not([multiple])')]
    .filter(s => s.getClientRects().length > 0 && s.selectedIndex >= 0)
    .flatMap(s => {
      const style = getComputedStyle(s);
      context.font = style.font;
      const text = s.options[s.selectedIndex].text.trim();
      const room = s.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
      const needed = context.measureText(text).width;
      return needed > room + 1 && needed <= column
        ? [`<select name="${s.name}"> ${text} (${Math.ceil(needed)} > ${Math.floor(room)} px)`]
        : [];
    });
}"""


def _household(
    user: User, staff: User, capital: int, savings: Scenario
) -> tuple[int, str, list[str]]:
    """The demo's household with a partner who shares a source to view; the demo shares
    its capital source and savings plan to edit; an invitation waits for the admin.
    The partner's source, the invitation's path and the names typed."""
    household = household_services.household_create(owner=user, name="Sonnenweg 5")
    partner = UserFactory.create(username="kim", email="kim@example.com")
    sent = household_services.invitation_send(household=household, by=user, email=partner.email)
    household_services.invitation_accept(token=sent.url.rstrip("/").rsplit("/", 1)[1], user=partner)
    shared = SourceFactory.create(owner=partner, name="Kim's savings account")
    household_services.source_share(source=shared, by=partner, role="view")
    household_services.source_share(
        source=IncomeSource.objects.get(pk=capital), by=user, role="edit"
    )
    household_services.scenario_share(scenario=savings, by=user, role="edit")
    invited = household_services.invitation_send(household=household, by=user, email=staff.email)
    join = "/" + invited.url.split("://", 1)[1].split("/", 1)[1]
    return shared.pk, join, [household.name, partner.username, shared.name]


def _first(model: Any, **filters: Any) -> int:
    pk = model.objects.filter(**filters).order_by("pk").values_list("pk", flat=True).first()
    assert pk is not None, f"the demo brings no {model.__name__} ({filters})"
    return int(pk)


@pytest.fixture
def demo(shipped_content: None) -> Demo:
    today = timezone.localdate()
    user = demo_create(username="demo", password=PASSWORD, today=today).user
    plans = demo_scenarios_create(user=user)
    report_recompute(owner=user, today=today, force=True)
    staff = User.objects.create_superuser("chefin", "chefin@example.com", PASSWORD)
    capital = _first(IncomeSource, owner=user, asset_values__isnull=False)
    effort = _first(IncomeSource, owner=user, effort_logs__isnull=False)
    subscription = _first(IncomeSource, owner=user, periods__isnull=False)
    upload = import_services.payment_import_upload(
        owner=user,
        filename="umsaetze.csv",
        content=german_csv(12, first=date(today.year - 1, 1, 15), days=330),
        source=IncomeSource.objects.get(pk=capital),
    )
    channel = alert_channel_create(
        owner=user, kind="webhook", name="Home automation", url="https://hooks.example/ertrag"
    )
    household_source, household_join, household_texts = _household(
        user, staff, capital, plans.savings
    )
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    own_texts = [
        *IncomeSource.objects.filter(owner=user).values_list("name", flat=True),
        *(
            text
            for plan in (plans.savings, plans.sources)
            for text in (plan.name, plan.description)
        ),
        upload.filename,
        channel.name,
        *household_texts,
    ]
    return Demo(
        user=user,
        capital_source=capital,
        subscription_source=subscription,
        effort_source=effort,
        payment=_first(Payment, source__owner=user),
        period=_first(SubscriptionPeriod, source__owner=user),
        effort_log=_first(EffortLog, source__owner=user),
        asset_value=_first(AssetValue, source__owner=user),
        cost=_first(Cost, source__owner=user),
        fund_year=_first(FundYear, source__owner=user),
        scenarios=(plans.savings.pk, plans.sources.pk),
        upload=upload.pk,
        job=recompute_job_create(owner=user, reason=JobReason.REQUEST, force=True).pk,
        data_import=account_import_file(user=staff, content=account_export(user=user)).pk,
        alert_channel=channel.pk,
        household_source=household_source,
        household_join=household_join,
        help_slug=str(HelpArticle.objects.order_by("pk").values_list("slug", flat=True)[0]),
        reset_path=f"/accounts/reset/{uid}/{default_token_generator.make_token(user)}/",
        own_texts=tuple(own_texts),
    )


def _log_in_as(page: Any, base_url: str, who: str) -> None:
    if who == USER:
        log_in(page, base_url, "demo", password=PASSWORD)
    elif who == STAFF:
        log_in(page, base_url, "chefin", password=PASSWORD)
    else:
        page.goto(f"{base_url}/accounts/login/")


class Sweep:
    """One browser context: a theme, a width and a kind of visitor; and what it found."""

    def __init__(self, browser: Any, base_url: str, theme: str, width: int, demo: Demo) -> None:
        self.base_url, self.theme, self.width, self.demo = base_url, theme, width, demo
        self.context = browser.new_context(
            viewport={"width": width, "height": 900}, reduced_motion="reduce", color_scheme=theme
        )
        self.context.add_init_script(COLLECT)
        self.page = self.context.new_page()
        self.console: list[str] = []  # the page's errors since the last visit began
        self.page.on("console", self._console_message)
        self.page.on("pageerror", lambda error: self.console.append(f"uncaught: {error}"))
        self.findings: list[str] = []

    def _console_message(self, message: Any) -> None:
        if message.type == "error":
            self.console.append(f"console error: {message.text}")

    def switch_language(self, language: str) -> None:
        if self.page.get_attribute("html", "lang") != language:
            self.page.click(f"form.language-switch button[value={language}]")
            self.page.wait_for_function(f"() => document.documentElement.lang === '{language}'")

    def visit(self, visit: Visit, language: str) -> None:
        """Open ``visit``'s page and note each thing wrong with it, with where it was seen."""
        where = f"{visit.name} ({visit.url}) {self.theme} {language} {self.width}"
        self.findings += [f"{where}: {problem}" for problem in self._problems(visit, language)]
        if (self.theme, self.width) in SCREENSHOTS:
            ARTIFACTS.mkdir(exist_ok=True)
            name = f"every-{visit.name}-{self.theme}-{language}-{self.width}"
            self.page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)

    def _problems(self, visit: Visit, language: str) -> list[str]:
        page = self.page
        self.console.clear()
        response = page.goto(f"{self.base_url}{visit.url}")
        found = []
        if response is None or response.status != 200:
            found.append(f"answers {response.status if response else 'nothing'}")
        page.wait_for_function(SETTLED)
        shown = page.get_attribute("html", "lang")
        if shown != language:
            found.append(f"in the wrong language ({shown})")
        elif language == "de" and not visit.url.startswith("/admin/"):  # Django's texts
            found += [
                f"English on the German page: {text}"
                for text in english_on(page, allowed=self.demo.own_texts)
            ]
        scroll = page.evaluate("document.documentElement.scrollWidth")
        if scroll > self.width:
            found.append(f"scrolls sideways ({scroll} px): {page.evaluate(TOO_WIDE, self.width)}")
        if not visit.allow_clipped:
            found += [f"cut text: {text}" for text in clipped_text(page)]
            found += [f"cut choice: {text}" for text in page.evaluate(CUT_CHOICES)]
        found += [f"refused by the policy: {text}" for text in page.evaluate("window.__csp")]
        return found + self.console


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("theme", THEMES)
def test_every_page_fits_reads_and_runs_clean(
    browser: Any, live_server: Any, demo: Demo, theme: str, width: int
) -> None:
    visits = [visit for build in PAGES.values() for visit in build(demo)] + ADMIN_PAGES
    findings = []
    for who in (VISITOR, USER, STAFF):  # a context each: logged out, the demo, the admin
        sweep = Sweep(browser, live_server.url, theme, width, demo)
        _log_in_as(sweep.page, live_server.url, who)
        for language in LANGUAGES:
            if who == STAFF:  # the admin has no language switch: use the one of our pages
                sweep.page.goto(f"{live_server.url}/settings/")
            sweep.switch_language(language)
            for visit in visits:
                if visit.who == who:
                    sweep.visit(visit, language)
        sweep.context.close()
        findings += sweep.findings
    assert not findings, f"{len(findings)} findings:\n" + "\n".join(findings)
