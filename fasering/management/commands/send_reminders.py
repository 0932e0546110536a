"""manage.py send_reminders: the daily reminder e-mails (run it from cron once a day)."""

import datetime

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from fasering.reminders import NoSiteUrl, send_reminders


def _who(user) -> str:
    name = user.get_full_name() or user.get_username()
    return f"{name} <{user.email}>"


class Command(BaseCommand):
    help = (
        "Mailt de leden van groepen waarvan een project of inspanning 90 dagen geen "
        "statusupdate heeft gehad; hoogstens één e-mail per week per persoon. Dagelijks draaien."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Alleen laten zien wie wat zou krijgen; niets versturen of vastleggen.",
        )
        parser.add_argument(
            "--site-url",
            default="",
            help="Adres van Koers voor de links in de e-mails (standaard KOERS_SITE_URL).",
        )
        # For tests and for catching up: the moment to run as.
        parser.add_argument("--now", type=datetime.datetime.fromisoformat, help="ISO-tijdstip")

    def handle(self, *args: object, **options: object) -> None:
        now = options["now"]
        if now is not None and timezone.is_naive(now):
            now = timezone.make_aware(now)
        try:
            result = send_reminders(
                now=now, dry_run=bool(options["dry_run"]), base_url=str(options["site_url"])
            )
        except NoSiteUrl as error:
            raise CommandError(str(error)) from error

        if options["dry_run"]:
            for reminder in result.due:
                titles = "; ".join(
                    f"{i.code} {i.titel} ({i.programma.afkorting})".strip()
                    for i in reminder.inspanningen
                )
                self.stdout.write(
                    _("Zou mailen aan %(wie)s: %(wat)s")
                    % {
                        "wie": _who(reminder.user),
                        "wat": titles,
                    }
                )
            count = len(result.due)
            self.stdout.write(
                ngettext(
                    "Proefdraai: %(n)d herinnering zou worden verstuurd; niets verstuurd.",
                    "Proefdraai: %(n)d herinneringen zouden worden verstuurd; niets verstuurd.",
                    count,
                )
                % {"n": count}
            )
            return

        for reminder, error in result.failed:
            self.stderr.write(
                _("Niet verstuurd aan %(wie)s (%(fout)s); de volgende keer opnieuw.")
                % {"wie": _who(reminder.user), "fout": error}
            )
        count = len(result.sent)
        mentioned = sum(len(r.inspanningen) for r in result.sent)
        summary = ngettext(
            "%(n)d herinnering verstuurd", "%(n)d herinneringen verstuurd", count
        ) % {"n": count}
        if count:
            summary += " " + ngettext(
                "(over %(m)d project of inspanning)",
                "(over %(m)d projecten en inspanningen)",
                mentioned,
            ) % {"m": mentioned}
        self.stdout.write(summary + ".")
        if result.failed:
            raise CommandError(
                ngettext(
                    "%(n)d herinnering kon niet worden verstuurd.",
                    "%(n)d herinneringen konden niet worden verstuurd.",
                    len(result.failed),
                )
                % {"n": len(result.failed)}
            )
