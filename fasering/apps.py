from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FaseringConfig(AppConfig):
    name = "fasering"
    verbose_name = _("Fasering")

    def ready(self) -> None:
        # Edits to tree items in an adopted plan must carry a reason; the tree asks this
        # check, since doelenboom may not import fasering.
        from doelenboom import adopted
        from fasering.adoption import adopted_plan_name

        adopted.register(adopted_plan_name)

        # The status timeline on an inspanning's page (doelenboom may not import fasering).
        from doelenboom import panels
        from fasering.status_views import timeline_panel

        panels.register(timeline_panel)
