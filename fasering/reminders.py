"""Reminder e-mails about inspanningen without a status update for 90 days.

Run daily (`manage.py send_reminders`, from cron). Each member (GroepLid.user) of a group that
carries a stale inspanning (fasering.progress.stale) gets one e-mail listing their stale
inspanningen, each with a link to its update form. The rules:

- at most one e-mail a week per person: nothing goes to someone who was sent one in the last
  seven days (counted in calendar days, so a daily run a few seconds early still sends);
- an inspanning is mentioned to a person once per stale period: not again until an update was
  posted after that reminder and it went stale again;
- nothing for users who turned reminders off (Profiel.herinneringen; no Profiel reads as on),
  who have no e-mail address or an inactive account, whose membership of the programme is
  gone, or for archived programmes.

Every e-mail sent is recorded as Herinnering rows, one per inspanning mentioned, in the same
transaction as the sending: when sending fails, nothing is recorded for that person (they are
asked again on the next run) and the others still get theirs.
"""

import datetime
import logging
from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import Max, OuterRef, Q, Subquery
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.formats import long_date
from doelenboom.models import Inspanning
from fasering.models import Herinnering, Statusupdate
from fasering.progress import STALE_DAYS, stale, with_latest_status
from programmes.models import GroepLid, Lidmaatschap

logger = logging.getLogger(__name__)

# At most one e-mail per person in this many calendar days.
INTERVAL_DAYS = 7
# Where links point when no site address is configured, outside production.
DEVELOPMENT_SITE_URL = "http://127.0.0.1:8000"


class NoSiteUrl(Exception):
    """No address of the site is known to build the links in the e-mails with."""


def site_url(override: str = "") -> str:
    """The site's address (scheme and host) for links in mails sent without a request:
    `override`, else the KOERS_SITE_URL setting; outside production a local default."""
    url = override or settings.KOERS_SITE_URL
    if not url:
        if getattr(settings, "PRODUCTION", False):
            raise NoSiteUrl(
                _("Zet KOERS_SITE_URL op het adres van Koers (https://…) voor de links.")
            )
        url = DEVELOPMENT_SITE_URL
    return url.rstrip("/")


@dataclass
class Reminder:
    """One e-mail to one person: their stale inspanningen (annotated by with_latest_status,
    with `programma` loaded)."""

    user: AbstractBaseUser
    inspanningen: list[Inspanning] = field(default_factory=list)


@dataclass
class RunResult:
    due: list[Reminder]
    sent: list[Reminder] = field(default_factory=list)
    failed: list[tuple[Reminder, str]] = field(default_factory=list)


def _week_start(now: datetime.datetime) -> datetime.datetime:
    """The first moment of the calendar day six days before `now`'s day (local time)."""
    day = timezone.localdate(now) - datetime.timedelta(days=INTERVAL_DAYS - 1)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def due_reminders(now: datetime.datetime | None = None) -> list[Reminder]:
    """Who gets a reminder at `now`, and about what; reads, writes nothing."""
    now = now or timezone.now()
    last_posted = Statusupdate.objects.filter(inspanning=OuterRef("pk")).order_by("-geplaatst_op")
    inspanningen = {
        i.pk: i
        for i in stale(
            with_latest_status(
                Inspanning.objects.filter(
                    programma__gearchiveerd_op__isnull=True, groep__isnull=False
                )
            ),
            timezone.localdate(now),
        )
        .annotate(laatst_geplaatst=Subquery(last_posted.values("geplaatst_op")[:1]))
        .select_related("programma")
    }
    if not inspanningen:
        return []
    by_group: dict[int, list[Inspanning]] = defaultdict(list)
    for inspanning in inspanningen.values():
        by_group[inspanning.groep_id].append(inspanning)

    # Group members who can be reached and want reminders (no Profiel: the default, on).
    places = list(
        GroepLid.objects.filter(
            groep_id__in=list(by_group), user__isnull=False, user__is_active=True
        )
        .exclude(user__email="")
        .filter(Q(user__profiel__isnull=True) | Q(user__profiel__herinneringen=True))
        .values_list("groep_id", "user_id")
    )
    user_ids = {user_id for _groep, user_id in places}
    members = set(
        Lidmaatschap.objects.filter(
            user_id__in=user_ids,
            programma_id__in={i.programma_id for i in inspanningen.values()},
        ).values_list("user_id", "programma_id")
    )
    recently_sent = set(
        Herinnering.objects.filter(
            user_id__in=user_ids, verstuurd_op__gte=_week_start(now)
        ).values_list("user_id", flat=True)
    )
    last_mentioned = {
        (row["user_id"], row["inspanning_id"]): row["laatst"]
        for row in Herinnering.objects.filter(
            user_id__in=user_ids, inspanning_id__in=list(inspanningen)
        )
        .values("user_id", "inspanning_id")
        .annotate(laatst=Max("verstuurd_op"))
        .order_by()
    }

    per_user: dict[int, dict[int, Inspanning]] = defaultdict(dict)
    for groep_id, user_id in places:
        if user_id in recently_sent:
            continue
        for inspanning in by_group[groep_id]:
            if (user_id, inspanning.programma_id) not in members:
                continue
            mentioned = last_mentioned.get((user_id, inspanning.pk))
            posted = inspanning.laatst_geplaatst
            # Mentioned in this stale period: no update was posted after that reminder.
            if mentioned is not None and (posted is None or posted <= mentioned):
                continue
            per_user[user_id][inspanning.pk] = inspanning
    users = get_user_model().objects.in_bulk(list(per_user))
    reminders = [
        Reminder(
            user=users[user_id],
            inspanningen=sorted(
                found.values(),
                key=lambda i: (i.programma.naam, i.programma_id, i.volgorde, i.code, i.pk),
            ),
        )
        for user_id, found in per_user.items()
    ]
    return sorted(reminders, key=lambda r: (r.user.last_name, r.user.first_name, r.user.pk))


def _message(reminder: Reminder, base_url: str) -> EmailMultiAlternatives:
    user = reminder.user
    items = [
        {
            "titel": f"{i.code} {i.titel}" if i.code else i.titel,
            "soort": i.programma.label_inspanning.lower(),
            "programma": i.programma.afkorting,
            "laatste_datum": long_date(i.laatste_datum) if i.laatste_datum else "",
            "link": base_url + reverse("fasering:status_new", args=[i.programma.slug, i.pk]),
        }
        for i in reminder.inspanningen
    ]
    context = {
        "naam": user.get_full_name() or user.get_username(),
        "items": items,
        "stil_dagen": STALE_DAYS,
        "mijn_werk": base_url + reverse("mijn_werk:index"),
        "profiel": base_url + reverse("profiel:edit"),
    }
    if len(items) == 1:
        subject = _("Koers: statusupdate gevraagd voor %(titel)s") % {"titel": items[0]["titel"]}
    else:
        subject = _("Koers: statusupdate gevraagd voor %(n)d projecten en inspanningen") % {
            "n": len(items)
        }
    message = EmailMultiAlternatives(
        subject=subject,
        body=render_to_string("fasering/email/herinnering.txt", context),
        to=[user.email],
    )
    message.attach_alternative(
        render_to_string("fasering/email/herinnering.html", context), "text/html"
    )
    return message


def _send_one(reminder: Reminder, base_url: str, now: datetime.datetime) -> bool:
    """Send one reminder and record it, in one transaction; False when, meanwhile, someone
    else's run sent this person one (a second run at the same time)."""
    with transaction.atomic():
        # Runs that overlap queue here, and the later one sees what the first recorded.
        get_user_model().objects.select_for_update().filter(pk=reminder.user.pk).first()
        if Herinnering.objects.filter(
            user=reminder.user, verstuurd_op__gte=_week_start(now)
        ).exists():
            return False
        Herinnering.objects.bulk_create(
            Herinnering(user=reminder.user, inspanning=i, verstuurd_op=now)
            for i in reminder.inspanningen
        )
        # Last: when the mail server refuses, the rows above are rolled back.
        _message(reminder, base_url).send()
    return True


def send_reminders(
    *, now: datetime.datetime | None = None, dry_run: bool = False, base_url: str = ""
) -> RunResult:
    """Send the reminders due at `now` (see the module's rules).

    Side effects: one e-mail per person due, and one Herinnering row per inspanning it
    mentions. With `dry_run`, only says who would get what. A mail that cannot be sent is
    logged and listed in `failed`, with nothing recorded for that person; the others are
    still sent. Raises NoSiteUrl in production without KOERS_SITE_URL (or `base_url`).
    """
    now = now or timezone.now()
    base_url = site_url(base_url)
    result = RunResult(due=due_reminders(now))
    if dry_run:
        return result
    for reminder in result.due:
        try:
            sent = _send_one(reminder, base_url, now)
        except Exception as error:  # one failing mail must not stop the others
            logger.exception("Herinnering aan gebruiker %s niet verstuurd", reminder.user.pk)
            result.failed.append((reminder, f"{error.__class__.__name__}: {error}"))
            continue
        if sent:
            result.sent.append(reminder)
    return result
