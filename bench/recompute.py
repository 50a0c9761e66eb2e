"""recompute: the nightly report sweep over 1,000 users × 10 sources × 60 months, PostgreSQL.

Set-up (not timed): a database of the bench's own (``ertrag_bench`` on the server of
``DATABASE_URL``), 600,000 payments written with COPY, every user's reports computed by
the app (the sweep's steady state), then the tables vacuumed and analysed.

``recompute`` times, in this process, what the nightly job does after a day in which
every user was paid: before each run each user gets a payment dated today (written, and
the user stamped changed, as the app's services do), then the run calls
``owners_changed_since_report`` and ``recompute_owners`` for each chunk of
``REPORTS_FANOUT_CHUNK`` users, as a worker does with each message of the sweep: a job
row per user, every payment loaded and every source's figures to date computed, the
fingerprint, the current month computed and upserted with its independence month. The
months before the current one are recognised as unchanged by their key
(``reports.snapshots.history_key``) and neither computed nor read, as a payment of this
month leaves them as they are. The warm-up run stores each user's independence answer,
which the timed runs reuse (a payment changes no source, rate or expense).
The baseline is one raw SQL ``GROUP BY owner, source, month`` over the same payments.
Goal: ours ≤ 2.5 × the baseline (PRODUCT.md §6).

``recompute_every_month`` times the same in-process sweep after new monthly expenses for
every user (doubled, which moves every month's coverage): every month computed, compared
with the stored one and written. It runs on a sample of its own (the probe's users,
whose history it rewrites), fewer times, scaled to all users as above, against the same
baseline. Goal: ours ≤ 6 × the baseline.

``recompute_scaleout`` sends the nightly task ``reports.tasks.report_sweep`` to real
``celery -A config worker -P solo`` processes (a queue of their own on Redis database
``BENCH_REDIS_DB``) and waits until every job is done: with one worker, then with two.
Goal: one worker's time ≥ 1.6 × two workers' time.

Runs are budgeted: while a full run over all users takes far longer than the goal
allows, the runs cover the first ``n`` users only and the time is scaled to all users
(the line says so), so that ``make bench`` still ends in minutes. Once the sweep is near
its goal, the runs cover every user.
"""

from __future__ import annotations

import math
import shutil
import statistics
import sys
import time
from collections.abc import Sequence
from decimal import Decimal
from functools import partial
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import (
    REPEATS,
    VENV_BIN,
    ServerProcess,
    Timing,
    at_least_line,
    finish,
    measure,
    median_seconds,
    postgres_and_redis,
    print_line,
    ratio_line,
    redis_flush,
    running,
    vacuum_analyze,
    wait_until,
)

NAME = "recompute"
DATABASE = "ertrag_bench"
QUEUE = "ertrag-bench"  # bench._settings.CELERY_TASK_DEFAULT_QUEUE
USERS = 1000
MONTHS = 60
SEED = 1000
GOAL = 2.5
EVERY_MONTH_GOAL = 6.0
SCALE_GOAL = 1.6
#: Seconds the timed in-process runs may take together before they are cut short.
BUDGET_IN_PROCESS = 40.0
#: Seconds one run on one worker should take at most; the users per run follow from it.
SCALE_RUN_SECONDS = 10.0
#: Seconds the timed runs on the workers may take together, per number of workers.
BUDGET_SCALE = 45.0
#: Runs, and seconds they may take together, of the sweep in which every month changed.
EVERY_MONTH_REPEATS = 3
BUDGET_EVERY_MONTH = 15.0
#: The source that is paid today before each run, and the amount.
PAID_SOURCE = "P2P loan portfolio"
PAID = Decimal("12.34")
ZERO = Decimal(0)

BASELINE_SQL = """
    SELECT s.owner_id, p.source_id, date_trunc('month', p.date)::date AS month,
           sum(p.gross), sum(p.tax_withheld), sum(p.fees), count(*)
    FROM income_payment p JOIN income_incomesource s ON s.id = p.source_id
    GROUP BY 1, 2, 3
"""


def users_per_run(seconds_per_user: float, *, target: float, step: int) -> int:
    """All users if ``target`` seconds allow it, else the largest multiple of ``step`` that fits."""
    if seconds_per_user * USERS <= target:
        return USERS
    return max(step, min(USERS, math.floor(target / seconds_per_user / step) * step))


def scaled(timing: Timing, users: int, *, fixed: Sequence[float]) -> float:
    """The median run scaled from ``users`` to ``USERS``: the per-user part grows, ``fixed``
    (the part of each run that does not depend on the users, e.g. the selector) does not."""
    return statistics.median(
        once + (total - once) * USERS / users
        for total, once in zip(timing.times, fixed, strict=True)
    )


def sample_note(users: int, timing: Timing, *, repeats: int = REPEATS) -> str:
    """What the line's figure is made of, when not of every user and every run planned."""
    notes = []
    if users < USERS:
        notes.append(
            f"ours timed on {users} of {USERS} users, the per-user part scaled ×{USERS / users:g}"
        )
    if timing.runs < repeats:
        notes.append(f"median of {timing.runs} runs, over the time budget")
    return "; ".join(notes)


def worker_command(number: int) -> list[str]:
    """A worker as ``make run`` starts one, on the bench's queue, one task at a time."""
    return [
        str(VENV_BIN / "celery"), "-A", "config", "worker", "-P", "solo", "-Q", QUEUE,
        "-n", f"bench{number}@%h", "--loglevel", "WARNING",
        "--without-mingle", "--without-gossip", "--without-heartbeat",
    ]  # fmt: skip


def main() -> None:
    env, redis_url, scratch = postgres_and_redis(NAME, DATABASE)

    from django.conf import settings
    from django.db import connection
    from django.db.models import F, Min
    from django.utils import timezone

    from bench._data import payments_write, users_with_payments
    from config.celery import app
    from income.models import IncomeSource, Profile
    from reports.jobs import recompute_owners
    from reports.models import JobReason, JobStatus, RecomputeJob, ReportSnapshot
    from reports.selectors import owners_changed_since_report
    from reports.tasks import report_recompute_owners, report_sweep

    today = timezone.localdate()
    started = time.monotonic()
    ids = users_with_payments(count=USERS, months=MONTHS, today=today, seed=SEED)
    # Every user's reports computed before, by the app, as the steady state of the sweep
    # finds them; then the table is vacuumed, as autovacuum would have done since.
    for start in range(0, len(ids), settings.REPORTS_FANOUT_CHUNK):
        recompute_owners(
            owner_ids=ids[start : start + settings.REPORTS_FANOUT_CHUNK], reason=JobReason.SWEEP
        )
    RecomputeJob.objects.all().delete()
    redis_flush(redis_url)
    vacuum_analyze()
    print(f"({NAME}: set-up {time.monotonic() - started:.0f} s)", file=sys.stderr, flush=True)

    paid_source = dict(
        IncomeSource.objects.filter(owner_id__in=ids, name=PAID_SOURCE).values_list(
            "owner_id", "pk"
        )
    )

    def paid_today(user_ids: list[int]) -> None:
        """New data for ``user_ids``: a payment of today each, and the change stamp."""
        RecomputeJob.objects.all().delete()
        payments_write(
            [(paid_source[user_id], today, PAID, ZERO, ZERO, "EUR") for user_id in user_ids]
        )
        Profile.objects.filter(user_id__in=user_ids).update(data_changed_at=timezone.now())

    def new_expenses(user_ids: list[int]) -> None:
        """New monthly expenses for ``user_ids``: the coverage of every month moves."""
        RecomputeJob.objects.all().delete()
        Profile.objects.filter(user_id__in=user_ids).update(
            monthly_expenses=F("monthly_expenses") * 2, data_changed_at=timezone.now()
        )

    # ------------------------------------------------------------------ baseline
    def baseline() -> None:
        with connection.cursor() as cursor:
            cursor.execute(BASELINE_SQL)
            cursor.fetchall()

    base = median_seconds(baseline)

    # ------------------------------------------------------------------ in-process sweep
    selecting: list[float] = []  # seconds of the selector, once per run whatever the users

    def sweep_in_process() -> None:
        started = time.perf_counter()
        owners = list(owners_changed_since_report(today=today).values_list("pk", flat=True))
        selecting.append(time.perf_counter() - started)
        size = settings.REPORTS_FANOUT_CHUNK
        for start in range(0, len(owners), size):
            recompute_owners(owner_ids=owners[start : start + size], reason=JobReason.SWEEP)

    # Two short runs: the first warms the code up and stores the probe's independence
    # answers, the second says how long one user takes.
    probe = ids[: settings.REPORTS_FANOUT_CHUNK]
    ReportSnapshot.objects.exclude(owner_id__in=probe).update(computed_at=timezone.now())
    for _ in range(2):
        paid_today(probe)
        probe_started = time.perf_counter()
        sweep_in_process()
        # The selector's time is the same for any number of users: not per user.
        per_user = (time.perf_counter() - probe_started - selecting[-1]) / len(probe)
        if RecomputeJob.objects.filter(status=JobStatus.DONE).count() != len(probe):
            raise SystemExit(f"{NAME}: the probe did not recompute its {len(probe)} users")

    users = users_per_run(per_user, target=BUDGET_IN_PROCESS / REPEATS, step=25)
    sample = ids[:users]
    ours = measure(
        sweep_in_process,
        before=lambda: paid_today(sample),
        budget=BUDGET_IN_PROCESS,
    )
    done = RecomputeJob.objects.filter(reason=JobReason.SWEEP, status=JobStatus.DONE).count()
    if done != users:
        raise SystemExit(f"{NAME}: a run recomputed {done} users, not {users}")
    written = RecomputeJob.objects.filter(months_written=1).count()
    if written != users:
        raise SystemExit(f"{NAME}: {users - written} users had more than this month written")
    ours_scaled = scaled(ours, users, fixed=selecting[-ours.runs :])

    # Every month changed: a sample of its own (its history is rewritten), fewer runs.
    every_users = probe
    every = measure(
        sweep_in_process,
        before=lambda: new_expenses(every_users),
        repeats=EVERY_MONTH_REPEATS,
        budget=BUDGET_EVERY_MONTH,
    )
    if RecomputeJob.objects.filter(months_written=MONTHS + 1).count() != len(every_users):
        raise SystemExit(f"{NAME}: a run with new expenses did not rewrite every month")
    every_scaled = scaled(every, len(every_users), fixed=selecting[-every.runs :])
    lines = [
        print_line(
            ratio_line(
                NAME, baseline=base, ours=ours_scaled, goal=GOAL, note=sample_note(users, ours)
            )
        ),
        print_line(
            ratio_line(
                "recompute_every_month",
                baseline=base,
                ours=every_scaled,
                goal=EVERY_MONTH_GOAL,
                note=sample_note(len(every_users), every, repeats=EVERY_MONTH_REPEATS),
            )
        ),
    ]

    # ------------------------------------------------------------------ scale-out
    # Whole pairs of the sweep's chunks, so that both workers have as much to do.
    scale_users = users_per_run(
        per_user, target=SCALE_RUN_SECONDS, step=2 * settings.REPORTS_FANOUT_CHUNK
    )
    scale_sample = ids[:scale_users]
    unwarmed = scale_sample[users:]  # their independence answers are not stored yet
    if unwarmed:
        paid_today(unwarmed)
        sweep_in_process()

    dispatching: list[float] = []  # seconds from sending the sweep to its first job

    def sweep_on_workers() -> None:
        sent = timezone.now()
        report_sweep.apply_async()
        wait_until(
            lambda: (
                RecomputeJob.objects.filter(status__in=(JobStatus.DONE, JobStatus.FAILED)).count()
                >= scale_users
            ),
            timeout=max(120.0, per_user * scale_users * 5),
            what=f"{scale_users} recomputes on the workers",
        )
        failed = RecomputeJob.objects.filter(status=JobStatus.FAILED).first()
        if failed is not None:
            raise SystemExit(f"{NAME}: a recompute failed on a worker: {failed.error}")
        first = RecomputeJob.objects.aggregate(first=Min("created_at"))["first"]
        dispatching.append((first - sent).total_seconds())

    def warm_up(count: int) -> None:
        """One user per worker, each its own message: every worker has run the code once."""
        results = [
            report_recompute_owners.apply_async(args=([owner_id], JobReason.SWEEP.value))
            for owner_id in ids[-count:]
        ]
        for result in results:
            result.get(timeout=120)

    timings: dict[int, Timing] = {}
    scaled_times: dict[int, float] = {}
    with running([]) as workers:
        for count in (1, 2):
            while len(workers) < count:
                number = len(workers) + 1
                workers.append(
                    ServerProcess(
                        worker_command(number),
                        env=env,
                        log_path=scratch / f"worker{number}.log",
                    )
                )

            def answering(expected: int = count) -> bool:
                return len(app.control.ping(timeout=0.5) or []) >= expected

            try:
                wait_until(answering, timeout=60, what=f"{count} worker(s) to answer")
            except TimeoutError:
                logs = "\n".join(worker.log_tail() for worker in workers)
                raise SystemExit(f"{NAME}: the workers did not start:\n{logs}") from None
            timings[count] = measure(
                sweep_on_workers,
                before=lambda: paid_today(scale_sample),
                warmup=partial(warm_up, count),
                budget=BUDGET_SCALE,
            )
            scaled_times[count] = scaled(
                timings[count], scale_users, fixed=dispatching[-timings[count].runs :]
            )
    redis_flush(redis_url)

    shutil.rmtree(scratch, ignore_errors=True)
    one, two = timings[1], timings[2]
    notes = [
        note
        for note in (
            f"timed on {scale_users} of {USERS} users ({one.median:.3f} s and {two.median:.3f} s),"
            f" the per-user part scaled ×{USERS / scale_users:g}"
            if scale_users < USERS
            else "",
            f"medians of {one.runs} and {two.runs} runs"
            if min(one.runs, two.runs) < REPEATS
            else "",
        )
        if note
    ]
    detail = f"1 worker {scaled_times[1]:.3f} s, 2 workers {scaled_times[2]:.3f} s" + (
        f" ({'; '.join(notes)})" if notes else ""
    )
    lines.append(
        print_line(
            at_least_line(
                "recompute_scaleout",
                ratio=scaled_times[1] / scaled_times[2],
                goal=SCALE_GOAL,
                detail=detail,
            )
        )
    )
    finish(lines)


if __name__ == "__main__":
    main()
