"""import: 100,000 CSV payment rows through the import, against ``bulk_create`` of the rows.

Ours is the path of an upload (PRODUCT.md §5): ``payment_import_upload`` stores the
file, ``payment_import_start`` queues it (its message goes to the bench's own broker and
is never taken), and the worker's task ``imports.tasks.payment_import_process`` runs here,
in-process and synchronously (``Task.apply``): parse, check, de-duplicate, write in
batches, report progress, mark the owner's data changed. The file is a German bank
export of ten sources, half of the rows with a reference. The baseline builds the same
``Payment`` rows (the values the parser read) and writes them with
``Payment.objects.bulk_create`` in one transaction. Each run starts without the rows.

PostgreSQL when ``DATABASE_URL`` names one (a database of the bench's own on that
server), else SQLite in a temporary folder; the line says which.
Goal (PRODUCT.md §6): ours ≤ 2 × the baseline.
"""

from __future__ import annotations

import os
import random
import shutil
import sys
import tempfile
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import (
    bench_env,
    django_setup,
    finish,
    measure,
    postgres_database,
    print_line,
    ratio_line,
    redis_flush,
    require_postgres,
    require_redis,
)

NAME = "import"
ROWS = 100_000
WARMUP_ROWS = 10_000
GOAL = 2.0
SEED = 4711
DATABASE = "ertrag_bench_import"


def csv_file(source_names: list[str], *, rows: int, rng: random.Random) -> bytes:
    """A German bank export (``;``, ``1.234,56``, ``31.12.2025``) spread over the sources."""
    lines = ["Datum;Betrag;Steuer;Gebühren;Währung;Notiz;Referenz;Quelle"]
    first = date(2021, 1, 1)
    for n in range(rows):
        day = first + timedelta(days=rng.randrange(0, 5 * 365))
        cents = rng.randrange(100, 500_000)
        tax = cents * rng.choice((0, 0, 15, 25)) // 100
        fee = rng.randrange(0, 200) if cents > 10_000 else 0
        reference = f"TX{n:08d}" if n % 2 == 0 else ""
        amounts = (f"{c // 100:,}".replace(",", ".") + f",{c % 100:02d}" for c in (cents, tax, fee))
        gross, withheld, fees = amounts
        lines.append(
            f"{day:%d.%m.%Y};{gross};{withheld};{fees};EUR;Zahlung {n};{reference};"
            f"{source_names[n % len(source_names)]}"
        )
    return ("\n".join(lines) + "\n").encode("utf-8")


def main() -> None:
    scratch = Path(tempfile.mkdtemp(prefix="ertrag-bench-import-"))
    on_postgres = os.environ.get("DATABASE_URL", "").startswith(("postgres", "pgsql"))
    if on_postgres:
        database_url = postgres_database(require_postgres(NAME), DATABASE)
    else:
        database_url = f"sqlite:///{scratch / 'import.sqlite3'}"
    redis_url = require_redis(NAME) if os.environ.get("REDIS_URL") else None
    if redis_url:
        redis_flush(redis_url)
    django_setup(bench_env(database_url=database_url, redis_url=redis_url, scratch=scratch))

    from django.db import connection, transaction

    from bench._data import users_with_sources
    from imports.models import PaymentImport
    from imports.services import payment_import_start, payment_import_upload
    from imports.tasks import payment_import_process
    from income.finance.csv_payments import parse_payments
    from income.finance.currencies import CURRENCY_CODES
    from income.models import Payment
    from reports.models import RecomputeJob

    rng = random.Random(SEED)
    sources = users_with_sources(count=1, start=date(2021, 1, 1), rng=rng, prefix="importer")
    owner = sources[0].owner
    by_name = {source.name: source for source in sources}
    files = {rows: csv_file(list(by_name), rows=rows, rng=rng) for rows in (WARMUP_ROWS, ROWS)}
    parsed = {
        rows: parse_payments(data, currencies=CURRENCY_CODES, default_currency="EUR")
        for rows, data in files.items()
    }
    if any(not result.ok or len(result.rows) != rows for rows, result in parsed.items()):
        raise SystemExit(f"{NAME}: a generated file does not parse")

    def clean() -> None:
        """No payments, uploads or jobs: the owner is the only user of this database."""
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {Payment._meta.db_table}")
        PaymentImport.objects.filter(owner=owner).delete()
        RecomputeJob.objects.filter(owner=owner).delete()

    def baseline(rows: int = ROWS) -> None:
        with transaction.atomic():
            Payment.objects.bulk_create(
                [
                    Payment(
                        source=by_name[row.source or ""], date=row.date, gross=row.gross,
                        tax_withheld=row.tax_withheld, fees=row.fees, currency=row.currency,
                        note=row.note, external_id=row.external_id or None,
                        row_hash=None if row.external_id else row.row_hash,
                    )
                    for row in parsed[rows].rows
                ],
                batch_size=2000,
            )  # fmt: skip

    def ours(rows: int = ROWS) -> None:
        upload = payment_import_upload(
            owner=owner, filename="bank.csv", content=files[rows], source=None
        )
        payment_import_start(upload=upload)
        status = payment_import_process.apply(kwargs={"upload_id": upload.pk}).get()
        upload.refresh_from_db()
        if status != "done" or upload.created_rows != rows:
            raise SystemExit(f"{NAME}: the import did not write every row: {upload.errors[:3]}")

    # Warm-ups on a smaller file: a full run takes seconds, and warms nothing more.
    base = measure(baseline, before=clean, warmup=lambda: baseline(WARMUP_ROWS)).median
    mine = measure(ours, before=clean, warmup=lambda: ours(WARMUP_ROWS)).median
    clean()
    if redis_url:
        redis_flush(redis_url)
    shutil.rmtree(scratch, ignore_errors=True)
    where = "PostgreSQL" if on_postgres else "SQLite"
    line = print_line(ratio_line(NAME, baseline=base, ours=mine, goal=GOAL, note=where))
    finish([line])


if __name__ == "__main__":
    main()
