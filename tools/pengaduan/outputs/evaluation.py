"""Evaluasi SOP tahunan (SOP point 3: evaluated at least once a year): how each step kept its time limit.

Pure figures from the projections (`evaluate`), then one document with charts (`write_evaluation`).
Working days of a step: from the working day the previous step was done to the day this one was done.
"""
from __future__ import annotations

import statistics
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from ..core.config import Settings
from ..core.formatting import MONTHS, decimal
from ..core.sop import for_target
from ..history.calendar import WIB, WorkCalendar
from ..history.status import ON_TIME
from .charts import bar_chart
from .documents import Meta, Renderer, letterhead, signatory, templates_dir
from .projection import Projection, collect
from .recap import percentile


@dataclass(frozen=True)
class Timing:
    """Working days taken by a step (or by one sub bagian's replies): how many, how many on time, median, P90."""
    name: str
    count: int
    on_time: int
    median: float | None
    p90: int | None
    step: int = 0
    limit: int = 0  # working days the SOP allows

    @property
    def rate(self) -> float | None:
        return self.on_time / self.count if self.count else None


@dataclass(frozen=True)
class Evaluation:
    year: int
    received: int
    closed: int
    steps: list[Timing]
    bottleneck: Timing | None
    subdivisions: list[Timing]  # the reply (nota dinas balasan) of each sub bagian terkait
    months: list[tuple[str, int, int, int]]  # month name, received, closed, closed with every step on time


def _figures(days: list[int]) -> tuple[float | None, int | None]:
    return (statistics.median(days) if days else None), percentile(days, 0.9)


def evaluate(projections: Iterable[Projection], settings: Settings, year: int) -> Evaluation:
    """Figures for complaints received in `year`, from their step history."""
    sop = settings.current_sop
    calendar = WorkCalendar.for_office(settings.office)
    chosen = [p for p in projections if p.status.received.astimezone(WIB).year == year]
    taken: dict[int, list[tuple[int, bool]]] = defaultdict(list)
    replies: dict[str, list[tuple[int, bool]]] = defaultdict(list)
    months = {m: [0, 0, 0] for m in range(1, 13)}
    for projection in chosen:
        status = projection.status
        month = months[status.received.astimezone(WIB).month]
        month[0] += 1
        done = [row for row in status.steps if row.done_at]
        record_sop = settings.sop(status.sop_version) or sop
        for before, row in zip(done, done[1:]):
            if row.deadline is None or before.done_at is None or row.done_at is None:  # None: not in `done`
                continue
            days = calendar.working_days_between(calendar.effective_day(before.done_at.astimezone(WIB).date()),
                                                 calendar.effective_day(row.done_at.astimezone(WIB).date()))
            taken[row.step].append((days, row.state == ON_TIME))
            if status.target and for_target(record_sop, record_sop.step(row.step)):
                replies[status.target].append((days, row.state == ON_TIME))
        if status.closed:
            month[1] += 1
            month[2] += all(row.state == ON_TIME for row in status.steps)
    steps = []
    for spec in sop.steps[1:]:
        rows = taken.get(spec.number, [])
        steps.append(Timing(spec.title, len(rows), sum(ok for _, ok in rows), *_figures([d for d, _ in rows]),
                            step=spec.number, limit=spec.working_days))
    measured = [s for s in steps if s.count]
    bottleneck = max(measured, key=lambda s: ((s.median or 0) - s.limit, -(s.rate or 0), s.p90 or 0), default=None)
    groups = [Timing(settings.office.subdivisions.get(key, key), len(rows), sum(ok for _, ok in rows),
                     *_figures([d for d, _ in rows])) for key, rows in sorted(replies.items())]
    return Evaluation(year, len(chosen), sum(p.status.closed for p in chosen), steps, bottleneck, groups,
                      [(MONTHS[m - 1], months[m][0], months[m][1], months[m][2]) for m in range(1, 13)])


def charts(evaluation: Evaluation) -> dict[str, bytes]:
    """The evaluation's charts as SVG: on-time rate and median working days per step, complaints per month."""
    def label(step: Timing) -> str:
        return f"{step.step}. {step.name}"
    return {
        "grafik_tepat_waktu": bar_chart("Tepat waktu per langkah (%)", [
            (label(s), round((s.rate or 0) * 100)) for s in evaluation.steps], "%").encode(),
        "grafik_median": bar_chart("Median hari kerja per langkah", [
            (label(s), s.median or 0) for s in evaluation.steps], shown=decimal).encode(),
        "grafik_bulan": bar_chart("Pengaduan diterima per bulan", [
            (name, received) for name, received, _, _ in evaluation.months]).encode(),
    }


def write_evaluation(repo: Path, year: int, out: Path, kinds: list[str],
                     now: datetime) -> tuple[Evaluation, list[Path]]:
    """`pengaduan evaluasi --tahun N`: the yearly evaluation as DOCX and PDF (HTML on request)."""
    settings, items = collect(repo, now, strict=True)
    evaluation = evaluate([p for _, p in items], settings, year)
    office = settings.office
    sop = settings.current_sop
    context = {"kantor": letterhead(office.identity), "evaluasi": evaluation, "tanggal": now.astimezone(WIB).date(),
               "sop": sop, "penanda_tangan": signatory(office.head_of(office.hukum)),
               "keadaan_pada": now.astimezone(WIB).date()}
    out.mkdir(parents=True, exist_ok=True)
    meta = Meta(f"Evaluasi SOP Penanganan Pengaduan Masyarakat Tahun {year}", office.identity["nama"],
                now.astimezone(WIB).date())
    written = Renderer(templates_dir(repo)).write("evaluasi", context, out / f"evaluasi-{year}", kinds, meta,
                                                  charts(evaluation))
    return evaluation, written

