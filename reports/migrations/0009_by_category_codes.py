"""``ReportSnapshot.by_category`` keyed by the category's slug, no longer by its name (issue 20).

A month's passive net by category was stored as an amount under the category's name in
the language the recompute ran in (English for one user's months, German for another's,
or both in one history), so a reader in the other language, or an app that branches on
it, could not tell the categories apart. The recompute now stores, under the slug, the
amount with the category's names in both languages (``reports.snapshots``); this
converts the stored months the same way: a key that is a category's slug or its name in
English or German (the languages the app ships) becomes its slug. A key that names no
category any more (renamed or removed since) stays as it is: the readers
(``reports.dashboard.stored_by_category``) show it as stored, without a code. Going
back writes amounts under the English names, which the code before this read in either
language.
"""

from decimal import Decimal

from django.db import migrations

BATCH = 500
CENT = Decimal("0.01")

#: A category as the months store it: its slug, English name, German name.
Category = tuple[str, str, str]


def _add(first: str, second: object) -> str:
    return str((Decimal(first) + Decimal(str(second))).quantize(CENT))


def by_codes(by_category: dict[str, object], categories: list[Category]) -> dict[str, object]:
    """``by_category`` with each amount stored under a category's slug or name moved to
    the slug, with the category's names; the amounts of two keys of one category (never
    in a row the recompute wrote) are added. A part stored by slug already, or under a
    name no category has, is kept as it is."""
    found: dict[str, Category] = {slug: (slug, en, de) for slug, en, de in categories}
    for slug, name_en, name_de in categories:  # a slug goes first: it is what it says
        found.setdefault(name_en, (slug, name_en, name_de))
        found.setdefault(name_de, (slug, name_en, name_de))
    result: dict[str, object] = {}
    for key, value in by_category.items():
        category = found.get(key)
        if isinstance(value, dict) or category is None:
            result[key] = dict(value) if isinstance(value, dict) else value  # a copy
            continue
        slug, name_en, name_de = category
        kept = result.get(slug)
        if isinstance(kept, dict):
            kept["passive_net"] = _add(kept["passive_net"], value)
        else:
            result[slug] = {"passive_net": str(value), "label_en": name_en, "label_de": name_de}
    return result


def by_names(by_category: dict[str, object]) -> dict[str, object]:
    """``by_category`` as the code before this stored it: each amount under the
    category's English name."""
    result: dict[str, object] = {}
    for key, value in by_category.items():
        if isinstance(value, dict):
            key, value = value["label_en"], value["passive_net"]
        result[key] = _add(str(result[key]), value) if key in result else value
    return result


def _rewrite(apps, convert) -> None:
    """Every snapshot, a batch of rows at a time by id (no cursor left open while the
    table is written: SQLite would not keep it apart from the writes)."""
    ReportSnapshot = apps.get_model("reports", "ReportSnapshot")
    after = 0
    while True:
        batch = list(
            ReportSnapshot.objects.filter(pk__gt=after)
            .order_by("pk")
            .only("pk", "by_category")[:BATCH]
        )
        if not batch:
            return
        after = batch[-1].pk
        changed = []
        for snapshot in batch:
            new = convert(snapshot.by_category or {})
            if new != snapshot.by_category:
                snapshot.by_category = new
                changed.append(snapshot)
        ReportSnapshot.objects.bulk_update(changed, ["by_category"])


def names_to_codes(apps, schema_editor):
    IncomeCategory = apps.get_model("income", "IncomeCategory")
    categories = list(
        IncomeCategory.objects.order_by("pk").values_list("slug", "name_en", "name_de")
    )
    _rewrite(apps, lambda stored: by_codes(stored, categories))


def codes_to_names(apps, schema_editor):
    _rewrite(apps, by_names)


class Migration(migrations.Migration):
    dependencies = [
        ("income", "0014_profile_theme_date_style"),
        ("reports", "0008_watchdog_schedule"),
    ]

    operations = [migrations.RunPython(names_to_codes, codes_to_names)]
