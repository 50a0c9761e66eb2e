"""The household in the browser: the household page (members, invitations, the joint
allowance, what I share and what is shared with me), joining by an invitation link,
the household's dashboard and the pages of a shared source and a shared scenario.

Thin: ``households.services`` decides and ``households.selectors`` finds. A row that
is not shared with the reader's household is not found (404), as another person's row
always is. The actions post ids in their form body rather than their address, so the
only routes that take an id are the pages themselves (``tests/test_ownership.py``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from finance.errors import DomainError
from households import selectors, services
from households.figures import household_figures
from households.forms import (
    NOT_SHARED,
    HouseholdCreateForm,
    InvitationForm,
    JointAssessmentForm,
    SharedPaymentForm,
    SharedScenarioForm,
    SharesForm,
)
from households.models import (
    MAX_MEMBERS,
    Household,
    Invitation,
    MemberRole,
    Membership,
    ShareRole,
)
from income import selectors as income_selectors
from income.forms.base import add_service_errors
from income.models import IncomeSource
from income.services.users import profile_get_or_create
from scenarios import selectors as scenario_selectors
from scenarios.models import Scenario
from scenarios.views.overview import StoredResult

#: How many of a shared source's payments its page lists, newest first.
SHARED_PAYMENTS_SHOWN = 24


def _user(request: HttpRequest) -> User:
    return cast(User, request.user)


def _membership(request: HttpRequest) -> Membership:
    """The caller's membership; without a household every household action is a 404."""
    membership = selectors.membership_of(user=_user(request))
    if membership is None:
        raise Http404
    return membership


def _posted_pk(request: HttpRequest, name: str) -> int:
    """The id a form posts in ``name``; anything but a whole number finds nothing (404)."""
    value = request.POST.get(name, "")
    if not value.isdigit() or len(value) > 18:
        raise Http404
    return int(value)


def _error_messages(request: HttpRequest, error: DomainError) -> None:
    for field_messages in error.field_errors.values():
        for message in field_messages:
            messages.error(request, message)


def _done(request: HttpRequest, work: Callable[[], object], success: str) -> HttpResponse:
    """Do one household action: its service's refusal shown as messages, else
    ``success``; back to the household page either way."""
    try:
        work()
    except DomainError as error:
        _error_messages(request, error)
    else:
        messages.success(request, success)
    return redirect("household")


# ----------------------------------------------------------------------------- the page


def _shares_form(user: User, household: Household, data: Any = None) -> SharesForm:
    shares = selectors.source_shares_of(household=household).filter(source__owner=user)
    scenario_shares = selectors.scenario_shares_of(household=household).filter(scenario__owner=user)
    return SharesForm(
        data,
        sources=list(income_selectors.source_list(owner=user).order_by("name", "pk")),
        scenarios=list(scenario_selectors.scenario_list(owner=user).order_by("name", "pk")),
        source_roles={share.source_id: share.role for share in shares},
        scenario_roles={share.scenario_id: share.role for share in scenario_shares},
        prefix="share",
    )


def _page(
    request: HttpRequest,
    *,
    create_form: HouseholdCreateForm | None = None,
    invitation_form: InvitationForm | None = None,
    joint_form: JointAssessmentForm | None = None,
    shares_form: SharesForm | None = None,
    status: int = 200,
) -> HttpResponse:
    user = _user(request)
    membership = selectors.membership_of(user=user)
    if membership is None:
        form = create_form or HouseholdCreateForm()
        return render(request, "households/start.html", {"form": form}, status=status)
    household = membership.household
    members = list(selectors.members_of(household=household))
    context: dict[str, Any] = {
        "household": household,
        "membership": membership,
        "is_owner": membership.role == MemberRole.OWNER,
        "members": members,
        "owner": next((m.user for m in members if m.role == MemberRole.OWNER), None),
        "max_members": MAX_MEMBERS,
        "invitations": list(selectors.invitations_open(household=household)),
        "invitation_form": invitation_form or InvitationForm(),
        "joint_form": joint_form
        or JointAssessmentForm(initial={"joint_assessment": household.joint_assessment}),
        "shares_form": shares_form or _shares_form(user, household),
        "shared_sources": [
            source
            for source in selectors.shared_sources_for(user=user).order_by("name", "pk")
            if source.owner_id != user.pk
        ],
        "shared_scenarios": [
            scenario
            for scenario in selectors.shared_scenarios_for(user=user).order_by("name", "pk")
            if scenario.owner_id != user.pk
        ],
        "now": timezone.now(),
    }
    return render(request, "households/household.html", context, status=status)


@login_required
@require_safe
def household_page(request: HttpRequest) -> HttpResponse:
    """Without a household: make one (one joins by an invitation link). With one: its
    members, invitations, the joint allowance and the shares."""
    return _page(request)


@login_required
@require_POST
def household_create(request: HttpRequest) -> HttpResponse:
    form = HouseholdCreateForm(request.POST)
    if form.is_valid():
        try:
            household = services.household_create(
                owner=_user(request), name=form.cleaned_data["name"]
            )
        except DomainError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request, _("The household “%(name)s” is made.") % {"name": household.name}
            )
            return redirect("household")
    return _page(request, create_form=form, status=400)


@login_required
@require_POST
def household_invite(request: HttpRequest) -> HttpResponse:
    household = _membership(request).household
    form = InvitationForm(request.POST)
    if form.is_valid():
        try:
            sent = services.invitation_send(
                household=household, by=_user(request), email=form.cleaned_data["email"]
            )
        except DomainError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("An invitation is on its way to %(email)s.") % {"email": sent.invitation.email},
            )
            return redirect("household")
    return _page(request, invitation_form=form, status=400)


@login_required
@require_POST
def household_invitation_revoke(request: HttpRequest) -> HttpResponse:
    household = _membership(request).household
    invitation = get_object_or_404(
        selectors.invitations_open(household=household), pk=_posted_pk(request, "invitation")
    )
    return _done(
        request,
        lambda: services.invitation_revoke(invitation=invitation, by=_user(request)),
        _("The invitation to %(email)s is revoked; its link no longer works.")
        % {"email": invitation.email},
    )


@login_required
@require_POST
def household_member_remove(request: HttpRequest) -> HttpResponse:
    """The owner removes a member; the member's shares leave with them."""
    household = _membership(request).household
    member = get_object_or_404(
        selectors.members_of(household=household), user_id=_posted_pk(request, "member")
    )
    return _done(
        request,
        lambda: services.member_remove(household=household, by=_user(request), user=member.user),
        _("%(name)s is no longer in the household.") % {"name": member.user.get_username()},
    )


@login_required
@require_POST
def household_leave(request: HttpRequest) -> HttpResponse:
    household = _membership(request).household
    user = _user(request)
    return _done(
        request,
        lambda: services.member_remove(household=household, by=user, user=user),
        _("You left “%(name)s”; what you shared is yours alone again.") % {"name": household.name},
    )


@login_required
@require_POST
def household_joint(request: HttpRequest) -> HttpResponse:
    """The owner marks the household a jointly assessed couple, or not."""
    household = _membership(request).household
    form = JointAssessmentForm(request.POST)
    if form.is_valid():
        try:
            services.household_update(
                household=household,
                by=_user(request),
                joint_assessment=form.cleaned_data["joint_assessment"],
            )
        except DomainError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect("household")
    return _page(request, joint_form=form, status=400)


@login_required
@require_POST
def household_shares(request: HttpRequest) -> HttpResponse:
    """Save every select of "What I share" at once: all of it, or (refused) none of it."""
    user = _user(request)
    household = _membership(request).household
    form = _shares_form(user, household, request.POST)
    if form.is_valid():
        try:
            changes = [(kind, item, None if role == NOT_SHARED else role)
                       for kind, item, role in form.changes()]  # fmt: skip
            services.shares_set(
                by=user,
                sources=[(cast(IncomeSource, i), r) for k, i, r in changes if k == "source"],
                scenarios=[(cast(Scenario, i), r) for k, i, r in changes if k != "source"],
            )
        except DomainError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("What you share is saved."))
            return redirect("household")
    return _page(request, shares_form=form, status=400)


# ----------------------------------------------------------------------------- joining


def _refusal(invitation: Invitation, user: User) -> str | None:
    """Why ``user`` cannot take this invitation, said before they press the button; on
    the POST ``services.invitation_accept`` checks the same and decides."""
    if not user.email or user.email.lower() != invitation.email.lower():
        return _("This invitation is for another e-mail address than your account's.")
    if selectors.membership_of(user=user) is not None:
        return _("You are in a household already; leave it first.")
    return None


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def household_join(request: HttpRequest, token: str) -> HttpResponse:
    """Who invites to which household, and the button to join. An unknown, used,
    revoked or expired link is a 404; an invitation for another address than the
    account's, or a person in a household already, a 400 with the reason."""
    user = _user(request)
    invitation = services.invitation_find(token=token)
    if invitation is None:
        return render(request, "households/join.html", {"invalid": True}, status=404)
    refusal = _refusal(invitation, user)
    if request.method == "POST" and refusal is None:
        try:
            household = services.invitation_accept(token=token, user=user)
        except DomainError as error:
            refusal = " ".join(
                message for found in error.field_errors.values() for message in found
            )
        else:
            messages.success(request, _("Welcome to “%(name)s”.") % {"name": household.name})
            return redirect("household")
    context = {"invitation": invitation, "refusal": refusal}
    return render(request, "households/join.html", context, status=400 if refusal else 200)


# ----------------------------------------------------------------------------- dashboard


@login_required
@require_safe
def household_dashboard(request: HttpRequest) -> HttpResponse:
    """The shared sources' figures, each as its owner's pages show it, and the totals."""
    membership = selectors.membership_of(user=_user(request))
    if membership is None:
        return redirect("household")
    figures = household_figures(household=membership.household, today=timezone.localdate())
    return render(request, "households/dashboard.html", {"figures": figures})


# ----------------------------------------------------------------------------- shared rows


def _source_page(
    request: HttpRequest, source: IncomeSource, *, form: SharedPaymentForm | None = None
) -> HttpResponse:
    user = _user(request)
    editable = source.household_share.role == ShareRole.EDIT
    membership = selectors.membership_of(user=user)
    if membership is None:  # gone since the source was found: nothing is shared any more
        raise Http404
    figures = household_figures(household=membership.household, today=timezone.localdate())
    line = next((line for line in figures.lines if line.source.pk == source.pk), None)
    payments = income_selectors.payment_list(owner=source.owner).filter(source=source)
    context = {
        "source": source,
        "line": line,
        "last_month": figures.last_month,
        "editable": editable,
        "mine": source.owner_id == user.pk,
        "payments": list(payments.order_by("-date", "-pk")[:SHARED_PAYMENTS_SHOWN]),
        "form": (form or SharedPaymentForm(source=source, initial={"date": timezone.localdate()}))
        if editable
        else None,
    }
    status = 400 if form is not None and form.errors else 200
    return render(request, "households/source.html", context, status=status)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def household_source(request: HttpRequest, pk: int) -> HttpResponse:
    """A shared source: its figures and latest payments. With "can edit" a POST records
    a payment (``action=add``) or deletes one (``action=delete``, ``payment=<id>``), as
    its owner's; with "can view" a POST finds nothing (404)."""
    user = _user(request)
    if request.method != "POST":
        return _source_page(
            request, get_object_or_404(selectors.shared_sources_for(user=user), pk=pk)
        )
    source = get_object_or_404(selectors.shared_sources_for(user=user, edit=True), pk=pk)
    if request.POST.get("action") == "delete":
        payment = get_object_or_404(
            income_selectors.payment_list(owner=source.owner).filter(source=source),
            pk=_posted_pk(request, "payment"),
        )
        services.shared_payment_delete(user=user, payment=payment)
        messages.success(request, _("The payment is deleted."))
        return redirect("household_source", pk=source.pk)
    form = SharedPaymentForm(request.POST, source=source)
    if form.is_valid():
        try:
            services.shared_payment_create(user=user, source=source, **form.service_data())
        except (ValidationError, DomainError) as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("The payment is recorded as %(owner)s's.")
                % {"owner": source.owner.get_username()},
            )
            return redirect("household_source", pk=source.pk)
    return _source_page(request, source, form=form)


def _scenario_page(
    request: HttpRequest, scenario: Scenario, *, form: SharedScenarioForm | None = None
) -> HttpResponse:
    user = _user(request)
    editable = scenario.household_share.role == ShareRole.EDIT
    linked = list(scenario.sources.all())
    shared_ids = set(
        selectors.shared_sources_for(user=user)
        .filter(pk__in=[s.pk for s in linked])
        .values_list("pk", flat=True)
    )
    context = {
        "scenario": scenario,
        "currency": profile_get_or_create(user=scenario.owner).base_currency,
        "editable": editable,
        "mine": scenario.owner_id == user.pk,
        "linked_shared": [source for source in linked if source.pk in shared_ids],
        "linked_hidden": sum(1 for source in linked if source.pk not in shared_ids),
        "result": StoredResult.of(scenario),
        "form": (form or SharedScenarioForm(scenario=scenario)) if editable else None,
    }
    status = 400 if form is not None and form.errors else 200
    return render(request, "households/scenario.html", context, status=status)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def household_scenario(request: HttpRequest, pk: int) -> HttpResponse:
    """A shared scenario: its inputs and its stored result; with "can edit" a POST
    changes its numbers (which clears the result until it is computed again)."""
    user = _user(request)
    if request.method != "POST":
        return _scenario_page(
            request, get_object_or_404(selectors.shared_scenarios_for(user=user), pk=pk)
        )
    scenario = get_object_or_404(selectors.shared_scenarios_for(user=user, edit=True), pk=pk)
    form = SharedScenarioForm(request.POST, scenario=scenario)
    if form.is_valid():
        try:
            services.shared_scenario_update(user=user, scenario=scenario, **form.service_data())
        except (ValidationError, DomainError) as error:
            add_service_errors(form, error)
            scenario.refresh_from_db()  # the service set the refused values on it
        else:
            messages.success(request, _("“%(name)s” was saved.") % {"name": scenario.name})
            return redirect("household_scenario", pk=scenario.pk)
    return _scenario_page(request, scenario, form=form)
