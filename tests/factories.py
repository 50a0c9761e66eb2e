"""factory_boy factories. Users are made through the service, as the app makes them."""

from __future__ import annotations

from django.contrib.auth.models import User
from factory.base import Factory
from factory.declarations import LazyAttribute, Sequence

from income.services import user_register

PASSWORD = "correct-horse-battery-9"


class UserFactory(Factory[User]):
    class Meta:
        model = User

    username = Sequence(lambda n: f"user{n}")
    email = LazyAttribute(lambda o: f"{o.username}@example.com")
    password = PASSWORD
    language = "en"
    base_currency = "EUR"

    @classmethod
    def _create(cls, model_class: type[User], *args: object, **kwargs: str) -> User:
        return user_register(**kwargs)
