from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.dispatch import receiver

from themes.services import home_page_ensure


@receiver(post_migrate)
def ensure_home_page_after_migrate(sender: AppConfig, **kwargs: Any) -> None:
    if sender.name == "themes":
        home_page_ensure()
