"""import: 100,000 CSV payment rows, and a 100,000-row broker statement, through the
import, each against ``bulk_create`` of the payments it makes.

Ours is the path of an upload (PRODUCT.md §5): ``payment_import_upload`` stores the
file, ``payment_import_start`` queues it (its message goes to the bench's own broker and
is never taken), and the worker's task ``imports.tasks.payment_import_process`` runs here,
in-process and synchronously (``Task.apply``): parse, check, de-duplicate, write in
batches, report progress, mark the owner's data changed. The file is a German bank
export of ten sources, half of the rows with a reference. The statement is an
Interactive Brokers Flex query of cash transactions (a preset, recognised by its header):
dividends of 40 securities each with its withholding-tax row (merged into it), interest,
deposits, withdrawals and fees (skipped), so it makes about 45,000 payments; their
sources are created by the warm-up and found by their remembered values afterwards. The
baseline builds the same ``Payment`` rows (the values the parser read) and writes them
with ``Payment.objects.bulk_create`` in one transaction. Each run starts without the rows.

PostgreSQL when ``DATABASE_URL`` names one (a database of the bench's own on that
server), else SQLite in a temporary folder; the line says which.
Goals (PRODUCT.md §6): ours ≤ 1.5 × the baseline for the payment rows, ≤ 2 × for the
statement.
"""

from __future__ import annotations

import os
import random
import shutil
import sys
import tempfile
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

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
STATEMENT_NAME = "import_statement"
ROWS = 100_000
WARMUP_ROWS = 10_000
GOAL = 1.5
STATEMENT_GOAL = 2.0
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


IBKR_HEADER = (
    '"ClientAccountID","AccountAlias","CurrencyPrimary","FXRateToBase","AssetClass","Symbol",'
    '"Description","Conid","ISIN","Date/Time","SettleDate","Amount","Type","TradeID","Code",'
    '"TransactionID","ReportDate","ActionID","LevelOfDetail"'
)


def statement_file(*, rows: int, rng: random.Random) -> bytes:
    """An IBKR Flex cash-transactions statement of ``rows`` rows (see the module doc)."""
    securities = [(f"SEC{n:02d}", f"US{n:09d}{n % 10}") for n in range(40)]
    lines = [IBKR_HEADER]
    first = date(2019, 1, 1)
    transaction = 1_000_000

    def line(currency: str, symbol: str, isin: str, day: date, amount: str, kind: str,
             description: str, action: str) -> str:  # fmt: skip
        nonlocal transaction
        transaction += 1
        stamp = f"{day:%Y%m%d}"
        return (
            f'"U1234567","","{currency}","0.9","STK","{symbol}","{description}","1","{isin}",'
            f'"{stamp};202000","{stamp}","{amount}","{kind}","","","{transaction}","{stamp}",'
            f'"{action}","DETAIL"'
        )

    while len(lines) <= rows:
        day = first + timedelta(days=rng.randrange(0, 6 * 365))
        pick = rng.random()
        if pick < 0.80:
            symbol, isin = rng.choice(securities)
            cents = rng.randrange(100, 90_000)
            action = str(rng.randrange(10**8, 10**9))
            text = f"{symbol}({isin}) CASH DIVIDEND USD 0.25 PER SHARE"
            lines.append(line("USD", symbol, isin, day, f"{cents / 100:.2f}", "Dividends",
                              f"{text} (Ordinary Dividend)", action))  # fmt: skip
            lines.append(line("USD", symbol, isin, day, f"-{cents * 15 // 100 / 100:.2f}",
                              "Withholding Tax", f"{text} - US TAX", action))  # fmt: skip
        elif pick < 0.88:
            lines.append(line("EUR", "", "", day, f"{rng.randrange(1, 5000) / 100:.2f}",
                              "Broker Interest Received", "EUR CREDIT INT", ""))  # fmt: skip
        elif pick < 0.95:
            sign = rng.choice(("", "-"))
            lines.append(line("EUR", "", "", day, f"{sign}{rng.randrange(100, 10_000)}",
                              "Deposits/Withdrawals", "ELECTRONIC FUND TRANSFER", ""))  # fmt: skip
        else:
            lines.append(line("USD", "", "", day, f"-{rng.randrange(1, 1000) / 100:.2f}",
                              "Other Fees", "MARKET DATA FEE", ""))  # fmt: skip
    return ("\n".join(lines[: rows + 1]) + "\n").encode("utf-8")


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
    from finance.currencies import CURRENCY_CODES
    from imports.jobs import payment_import_start
    from imports.models import PaymentImport, SourceAlias
    from imports.parsing.presets import detect_layout
    from imports.parsing.statement import parse_statement
    from imports.services import payment_import_upload
    from imports.sources import alias_key
    from imports.tasks import payment_import_process
    from income.models import IncomeSource, Payment
    from reports.models import RecomputeJob

    rng = random.Random(SEED)
    sources = users_with_sources(count=1, start=date(2021, 1, 1), rng=rng, prefix="importer")
    owner = sources[0].owner
    by_name = {source.name: source for source in sources}
    files = {rows: csv_file(list(by_name), rows=rows, rng=rng) for rows in (WARMUP_ROWS, ROWS)}
    statements = {rows: statement_file(rows=rows, rng=rng) for rows in (WARMUP_ROWS, ROWS)}

    def parse(data: bytes) -> Any:
        return parse_statement(
            data, currencies=CURRENCY_CODES, default_currency="EUR",
            detect=lambda records: detect_layout(records)[0],
        )[0]  # fmt: skip

    parsed = {rows: parse(data) for rows, data in files.items()}
    parsed_statements = {rows: parse(data) for rows, data in statements.items()}
    if any(not result.ok or len(result.rows) != rows for rows, result in parsed.items()):
        raise SystemExit(f"{NAME}: a generated file does not parse")
    if any(not result.ok for result in parsed_statements.values()):
        raise SystemExit(f"{STATEMENT_NAME}: a generated statement does not parse")

    def clean() -> None:
        """No payments, uploads or jobs: the owner is the only user of this database (the
        sources a statement created stay, as they would for a person)."""
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {Payment._meta.db_table}")
        PaymentImport.objects.filter(owner=owner).delete()
        RecomputeJob.objects.filter(owner=owner).delete()

    def write(rows: Any, *, source_of: Callable[[Any], Any]) -> None:
        with transaction.atomic():
            Payment.objects.bulk_create(
                [
                    Payment(
                        source=source_of(row), date=row.date, gross=row.gross,
                        tax_withheld=row.tax_withheld, fees=row.fees, currency=row.currency,
                        note=row.note, external_id=row.external_id or None,
                        row_hash=None if row.external_id else row.row_hash,
                    )
                    for row in rows
                ],
                batch_size=2000,
            )  # fmt: skip

    def baseline(rows: int = ROWS) -> None:
        write(parsed[rows].rows, source_of=lambda row: by_name[row.source or ""])

    def run_import(content: bytes, *, expected: int, name: str) -> None:
        upload = payment_import_upload(
            owner=owner, filename="statement.csv", content=content, source=None
        )
        payment_import_start(upload=upload)
        status = payment_import_process.apply(kwargs={"upload_id": upload.pk}).get()
        upload.refresh_from_db()
        if status != "done" or upload.created_rows != expected:
            raise SystemExit(f"{name}: the import did not write every row: {upload.errors[:3]}")

    def ours(rows: int = ROWS) -> None:
        run_import(files[rows], expected=rows, name=NAME)

    def statement_ours(rows: int = ROWS) -> None:
        expected = len(parsed_statements[rows].rows)
        run_import(statements[rows], expected=expected, name=STATEMENT_NAME)

    def statement_baseline(rows: int = ROWS) -> None:
        aliases = dict(SourceAlias.objects.filter(owner=owner).values_list("value", "source_id"))
        write(
            parsed_statements[rows].rows,
            source_of=lambda row: IncomeSource(pk=aliases[alias_key(row.source)]),
        )

    # Warm-ups on a smaller file: a full run takes seconds, and warms nothing more.
    base = measure(baseline, before=clean, warmup=lambda: baseline(WARMUP_ROWS)).median
    mine = measure(ours, before=clean, warmup=lambda: ours(WARMUP_ROWS)).median
    # The statement's warm-up creates its sources (the baseline needs them).
    statement_mine = measure(
        statement_ours, before=clean, warmup=lambda: statement_ours(ROWS)
    ).median
    statement_base = measure(
        statement_baseline, before=clean, warmup=lambda: statement_baseline(WARMUP_ROWS)
    ).median
    clean()
    if redis_url:
        redis_flush(redis_url)
    shutil.rmtree(scratch, ignore_errors=True)
    where = "PostgreSQL" if on_postgres else "SQLite"
    payments = len(parsed_statements[ROWS].rows)
    lines = [
        print_line(ratio_line(NAME, baseline=base, ours=mine, goal=GOAL, note=where)),
        print_line(
            ratio_line(
                STATEMENT_NAME,
                baseline=statement_base,
                ours=statement_mine,
                goal=STATEMENT_GOAL,
                note=f"{where}, {ROWS:,} rows, {payments:,} payments",
            )
        ),
    ]
    finish(lines)


if __name__ == "__main__":
    main()
