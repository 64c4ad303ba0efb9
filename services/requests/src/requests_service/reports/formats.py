"""The annual report as CSV (machine-readable) and PDF (the document), from its JSON.

CSV (DOMAIN.md 15.2: "machine-readable CSV/JSON with the same figures"): one row per
(section, level, unit, metric), columns `section,level,unit_id,unit_code,metric,value`.
`section` 0 holds the report's own data (year, due date, view); `level` is `report`,
`total` (the scope: root or unit) or `unit` (one unit of it); `metric` is the JSON path
inside the section's figures (`received`, `by_channel.online`, `time_taken.mean`,
`objections.by_reason.a`, `facts.rules.notice_working_days`, `narrative.policy`…).
An empty `value` is no value: suppressed in the public view (DOMAIN.md 17) or not
applicable (e.g. the mean of no times). The lists of suppressed cells are not repeated.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from requests_service.pdf import Document, Row, Section
from requests_service.registers.formats import csv_bytes
from requests_service.reports.schemas import AnnualReport, ReportView
from requests_service.texts import rupiah, tanggal

CSV_HEADERS = ["section", "level", "unit_id", "unit_code", "metric", "value"]
HIDDEN = "*"  # a suppressed cell in the PDF
_NARRATIVE_SECTIONS = ("policy", "operation", "obstacles", "recommendations")


def cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def flatten(value: Any, path: str = "") -> Iterator[tuple[str, Any]]:
    """(dotted path, leaf) pairs of a JSON value; `suppressed` lists are left out."""
    if isinstance(value, dict):
        for key, item in value.items():
            if key != "suppressed":
                yield from flatten(item, f"{path}.{key}" if path else str(key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from flatten(item, f"{path}.{index}")
    else:
        yield path, value


def csv_rows(report: AnnualReport) -> list[list[str]]:
    """The rows of the CSV (see the module's docstring)."""
    data = report.model_dump(mode="json")
    scope = data["scope"]
    rows: list[list[str]] = []

    def add(section: int, level: str, unit: dict[str, Any], figures: Any, prefix: str) -> None:
        for metric, value in flatten(figures, prefix):
            rows.append([str(section), level, unit["unit_id"], unit["code"], metric, cell(value)])

    meta = {k: data[k] for k in ("year", "due_date", "as_of", "view", "threshold")}
    add(0, "report", scope, meta, "")
    for key in ("policy", "operation", "service", "disputes", "obstacles", "recommendations"):
        section = data[key]
        number = section["number"]
        if key in _NARRATIVE_SECTIONS:
            add(number, "total", scope, section["texts"], "narrative")
            if "facts" in section:
                add(number, "total", scope, section["facts"], "facts")
            for unit in section["units"]:
                add(number, "unit", unit, unit["texts"], "narrative")
            continue
        add(number, "total", scope, section["total"], "")
        for unit in section["units"]:
            figures = unit.get("figures") or {
                k: unit[k] for k in ("objections", "disputes") if k in unit
            }
            add(number, "unit", unit, figures, "")
    return rows


def report_csv(report: AnnualReport) -> bytes:
    return csv_bytes(CSV_HEADERS, csv_rows(report))


# Indonesian labels of the figures shown in the PDF.
LABELS = {
    "received": "Permohonan diterima",
    "granted": "Dikabulkan (seluruhnya/sebagian)",
    "refused": "Ditolak",
    "withdrawn": "Ditarik kembali",
    "not_processed": "Tidak diproses (tidak lengkap)",
    "extended": "Perpanjangan waktu (Pasal 22(8))",
    "fees_charged_requests": "Permohonan berbiaya",
    "fees_charged": "Biaya yang dikenakan (Rp)",
    "fees_collected": "Biaya yang diterima (Rp)",
    "by_channel": "Menurut saluran",
    "by_requester_category": "Menurut kategori pemohon",
    "by_access_method": "Menurut cara memperoleh",
    "by_delivery_method": "Menurut cara pengiriman",
    "outcomes": "Menurut hasil",
    "refusal_reasons": "Alasan penolakan",
    "time_taken": "Waktu sampai pemberitahuan (HK)",
    "time_to_delivery": "Waktu sampai penyerahan (HK)",
    "objections": "Keberatan",
    "disputes": "Sengketa di Komisi Informasi",
    "by_reason": "menurut alasan (Pasal 35(1))",
    "response_time": "waktu tanggapan (HK)",
    "overdue": "melewati 30 HK",
    "filed_late": "diajukan terlambat",
    "order_executed": "perintah atasan dilaksanakan",
    "escalated_to_ki": "diteruskan ke Komisi Informasi",
    "by_ki_level": "menurut tingkat KI",
    "by_stage": "menurut tahap",
    "court_cases": "gugatan ke pengadilan",
    "compliance_required": "putusan wajib dilaksanakan",
    "complied": "putusan dilaksanakan",
    "complied_late": "dilaksanakan terlambat",
    "not_complied_overdue": "belum dilaksanakan, lewat waktu",
}
_UNIT_METRICS = (
    "received",
    "granted",
    "refused",
    "withdrawn",
    "not_processed",
    "extended",
    "time_taken.mean",
    "objections.received",
    "disputes.received",
)


_PATH_LABELS = {
    "objections.received": "Keberatan - jumlah",
    "disputes.received": "Sengketa di Komisi Informasi - jumlah",
}


def _label(metric: str) -> str:
    if metric in _PATH_LABELS:
        return _PATH_LABELS[metric]
    return " - ".join(LABELS.get(part, part) for part in metric.split("."))


def _figure_rows(figures: Any, public: bool, only: tuple[str, ...] | None = None) -> list[Row]:
    """Label/value rows; a null is `*` in the public view (suppressed, or nothing to
    compute), `-` in the officials' (nothing to compute)."""
    empty = HIDDEN if public else "-"
    return [
        (_label(m), empty if v is None else cell(v))
        for m, v in flatten(figures)
        if only is None or m in only
    ]


def _narrative(section: dict[str, Any]) -> list[Section]:
    heading = f"{section['number']}. {section['title']}"
    texts = [t for t in section["texts"].values() if t] or ["(belum diisi oleh PPID)"]
    parts = [Section(heading=heading, paragraphs=texts)]
    for unit in section["units"]:
        written = [t for t in unit["texts"].values() if t]
        parts.append(Section(heading=f"{unit['name']} ({unit['code']})", paragraphs=written))
    return parts


FACT_LABELS = {
    "notice_working_days": "Pemberitahuan tertulis (HK)",
    "extension_working_days": "Perpanjangan (HK)",
    "objection_filing_working_days": "Pengajuan keberatan (HK)",
    "objection_response_working_days": "Tanggapan atasan PPID (HK)",
    "dispute_filing_working_days": "Permohonan sengketa ke KI (HK)",
    "delivery_sla_equals_notice": "Penyediaan informasi sama dengan batas pemberitahuan",
    "identity_scan_required": "Wajib unggah kartu identitas",
    "time_zone": "Zona waktu",
    "service_start": "Jam layanan mulai",
    "service_end": "Jam layanan selesai",
    "weekend_days": "Hari libur mingguan (ISO)",
    "cuti_bersama_closed": "Cuti bersama tidak dihitung hari kerja",
    "working_days_in_year": "Hari kerja dalam setahun",
    "closed_weekdays_in_year": "Hari libur pada hari kerja",
}
_DESIGNATIONS = {"ppid_utama": "PPID Utama", "ppid_pelaksana": "PPID Pelaksana"}


def _fact_rows(facts: dict[str, Any]) -> list[Row]:
    def shown(value: Any) -> str:
        return ", ".join(map(str, value)) if isinstance(value, list) else cell(value)

    return [(FACT_LABELS.get(key, key), shown(value)) for key, value in facts.items()]


def _policy_rows(facts: dict[str, Any]) -> list[Row]:
    """Section 1's facts: the PPID and units, the cost standard, the legal clock."""
    units = [(u["name"], _DESIGNATIONS[u["designation"]]) for u in facts["units"]]
    prices = [
        (f["description"], f"{rupiah(f['unit_price'])} / {f['unit']} ({f['decree_no']})")
        for f in facts["cost_standard"]
    ]
    return units + prices + _fact_rows(facts["rules"])


def report_document(report: AnnualReport) -> Document:
    """The report as a document for `pdf.render_pdf`: the six sections in order."""
    data = report.model_dump(mode="json")
    policy, operation = data["policy"], data["operation"]
    sections = _narrative(policy)
    sections.append(Section(rows=_policy_rows(policy["facts"])))
    sections += _narrative(operation)
    sections.append(Section(rows=_fact_rows(operation["facts"])))
    public = report.view is ReportView.PUBLIC
    for key in ("service", "disputes"):
        part = data[key]
        heading = f"{part['number']}. {part['title']}"
        sections.append(Section(heading=heading, rows=_figure_rows(part["total"], public)))
        for unit in part["units"]:
            figures = unit.get("figures") or {k: unit[k] for k in ("objections", "disputes")}
            sections.append(
                Section(
                    heading=f"{unit['name']} ({unit['code']})",
                    rows=_figure_rows(figures, public, _UNIT_METRICS),
                )
            )
    sections += _narrative(data["obstacles"]) + _narrative(data["recommendations"])
    return Document(
        issuer=f"PPID {report.scope.name}",
        title="Laporan Layanan Informasi Publik",
        subtitle=f"Tahun {report.year} - batas penyampaian {tanggal(report.due_date)}",
        sections=sections,
        footer=(
            f"HK: hari kerja. {HIDDEN}: angka di bawah {report.threshold} disembunyikan "
            "(pelindungan data pribadi)."
            if public
            else "HK: hari kerja. Versi lengkap untuk pejabat; tidak untuk diumumkan."
        ),
        metadata={"year": str(report.year), "view": report.view.value},
    )
