from django.core.management.base import BaseCommand

from avk.demo import DEMO_PASSWORD, DEMO_USERS, load_demo


class Command(BaseCommand):
    help = (
        "Laadt de demoprogramma's (AVK en KvNH) en de demo-accounts; "
        "twee keer laden verandert niets."
    )

    def handle(self, *args: object, **options: object) -> None:
        report = load_demo()
        if report.changed:
            self.stdout.write(
                f"Demodata: {report.created} nieuw, {report.updated} bijgewerkt, "
                f"{report.deleted} verwijderd ({report.detail})."
            )
        else:
            self.stdout.write("Demodata is al actueel; niets veranderd.")
        names = ", ".join(user[0] for user in DEMO_USERS)
        self.stdout.write(f"Demo-accounts: beheer, {names} — wachtwoord '{DEMO_PASSWORD}'.")
