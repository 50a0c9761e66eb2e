from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HouseholdsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "households"
    verbose_name = _("Households")

    def ready(self) -> None:
        from django.db.models.signals import post_delete

        from households.models import Membership
        from households.receivers import membership_deleted
        from households.selectors import joint_partner_of
        from income.partners import partner_lookup_register

        partner_lookup_register(joint_partner_of)
        post_delete.connect(
            membership_deleted, sender=Membership, dispatch_uid="households.membership_deleted"
        )
