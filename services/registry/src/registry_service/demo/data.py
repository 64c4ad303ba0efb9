"""The demo DIP of Pemerintah Kota Contoh: units, entries, documents, DIK, policy, decree.

The unit ids are auth's demo ids (`ppid_kit.demo.demo_id` of the same unit codes), so
the registry's demo matches the units and accounts `python -m auth_service.demo` seeds.
Titles and summaries are written the way PPID sites write them, so full-text search
(`websearch_to_tsquery('indonesian', …)`) finds them: "anggaran dinas kesehatan",
"realisasi anggaran", "banjir".
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field

from ppid_kit.demo import demo_id

from registry_service.models import DipCategory, DipStatus

ROOT_CODE = "kota-contoh"
ROOT_ID = demo_id(ROOT_CODE)
PLACE = "Kota Contoh"

# Auth's demo unit codes (auth_service.demo.data.UNITS) and the names officials use.
UNIT_CODES = {
    "diskominfo": f"{ROOT_CODE}.diskominfo",
    "dinkes": f"{ROOT_CODE}.dinkes",
    "disdik": f"{ROOT_CODE}.disdik",
    "kecamatan": f"{ROOT_CODE}.kec-contoh-utara",
    "kelurahan": f"{ROOT_CODE}.kel-sukamaju",
    "rsud": f"{ROOT_CODE}.rsud",
}
UNIT_NAMES = {
    "diskominfo": "Dinas Komunikasi dan Informatika",
    "dinkes": "Dinas Kesehatan",
    "disdik": "Dinas Pendidikan",
    "kecamatan": "Kecamatan Contoh Utara",
    "kelurahan": "Kelurahan Sukamaju",
    "rsud": "RSUD Kota Contoh",
}
UNIT_SHORT = {
    "diskominfo": "KOMINFO",
    "dinkes": "DINKES",
    "disdik": "DISDIK",
    "kecamatan": "KEC",
    "kelurahan": "KEL",
    "rsud": "RSUD",
}


def unit_id(key: str) -> uuid.UUID:
    return demo_id(UNIT_CODES[key])


B, S, T = DipCategory.BERKALA, DipCategory.SERTA_MERTA, DipCategory.SETIAP_SAAT
PUB, DRAFT, PROPOSED = DipStatus.PUBLISHED, DipStatus.DRAFT, DipStatus.PROPOSED


@dataclass(frozen=True)
class DemoEntry:
    """One DIP entry; `{year}` and `{prev}` in texts become this year and the last."""

    unit: str
    category: DipCategory
    title: str
    summary: str
    status: DipStatus = PUB
    tags: tuple[str, ...] = ()
    subcategory: str | None = None
    # Days since its last update (berkala entries older than the policy are stale).
    age_days: int = 3
    document: str | None = None  # "pdf" or "csv"


ENTRIES: tuple[DemoEntry, ...] = (
    # Diskominfo (PPID Utama)
    DemoEntry(
        "diskominfo",
        B,
        "Profil PPID Pemerintah Kota Contoh",
        "Profil, struktur organisasi, tugas dan fungsi PPID Utama dan PPID Pelaksana.",
        tags=("profil", "ppid"),
        subcategory="Profil badan publik",
        age_days=12,
        document="pdf",
    ),
    DemoEntry(
        "diskominfo",
        B,
        "Laporan Layanan Informasi Publik {prev}",
        "Jumlah permohonan informasi, waktu layanan, permohonan yang ditolak beserta "
        "alasannya, dan keberatan (Pasal 12 UU 14/2008).",
        tags=("laporan", "layanan informasi"),
        subcategory="Laporan akses informasi",
        age_days=40,
        document="pdf",
    ),
    DemoEntry(
        "diskominfo",
        B,
        "Rencana Strategis Dinas Komunikasi dan Informatika 2025-2029",
        "Visi, misi, tujuan, sasaran dan program Diskominfo lima tahun ke depan.",
        tags=("renstra", "perencanaan"),
        subcategory="Ringkasan program",
    ),
    DemoEntry(
        "diskominfo",
        B,
        "Laporan Realisasi Anggaran Diskominfo {prev}",
        "Realisasi pendapatan dan belanja Dinas Komunikasi dan Informatika tahun anggaran {prev}.",
        tags=("anggaran", "keuangan", "LRA"),
        subcategory="Laporan keuangan",
        age_days=95,
        document="csv",
    ),
    DemoEntry(
        "diskominfo",
        T,
        "Standar Operasional Prosedur Pelayanan Informasi Publik",
        "SOP permohonan informasi, keberatan, uji konsekuensi dan penetapan DIP.",
        tags=("SOP", "pelayanan"),
        subcategory="Prosedur kerja",
    ),
    DemoEntry(
        "diskominfo",
        T,
        "Maklumat Pelayanan Informasi Publik",
        "Maklumat pelayanan, standar biaya salinan dan jangka waktu layanan.",
        tags=("maklumat", "biaya"),
        subcategory="Maklumat pelayanan",
    ),
    DemoEntry(
        "diskominfo",
        T,
        "Daftar Informasi Publik Pemerintah Kota Contoh {year}",
        "Daftar seluruh informasi publik yang dikuasai, kecuali informasi yang "
        "dikecualikan (Pasal 11 ayat 1 huruf a).",
        tags=("DIP",),
        subcategory="Daftar informasi",
    ),
    DemoEntry(
        "diskominfo",
        T,
        "Perjanjian Kerja Sama Jaringan Internet Kelurahan",
        "Perjanjian kerja sama penyediaan jaringan internet di kantor kelurahan.",
        tags=("perjanjian", "pihak ketiga"),
        subcategory="Perjanjian",
    ),
    DemoEntry(
        "diskominfo",
        S,
        "Informasi serta merta gangguan layanan darurat 112",
        "Pemberitahuan gangguan layanan panggilan darurat 112 dan nomor alternatif.",
        tags=("darurat", "112"),
        subcategory="Peringatan dini",
    ),
    # Dinas Kesehatan
    DemoEntry(
        "dinkes",
        B,
        "Penganggaran Dinas Kesehatan {year}",
        "Rencana Kerja dan Anggaran (RKA) Dinas Kesehatan tahun anggaran {year}: "
        "program, kegiatan dan pagu anggaran.",
        tags=("anggaran", "RKA", "kesehatan"),
        subcategory="Laporan keuangan",
        age_days=20,
        document="pdf",
    ),
    DemoEntry(
        "dinkes",
        B,
        "Laporan Realisasi Anggaran Dinas Kesehatan {prev}",
        "Realisasi belanja operasi dan belanja modal Dinas Kesehatan tahun {prev}.",
        tags=("anggaran", "LRA", "kesehatan"),
        subcategory="Laporan keuangan",
        age_days=60,
        document="csv",
    ),
    DemoEntry(
        "dinkes",
        B,
        "Profil Kesehatan Kota Contoh {prev}",
        "Data derajat kesehatan, sarana kesehatan, tenaga kesehatan dan pembiayaan.",
        tags=("profil", "statistik"),
        subcategory="Profil badan publik",
        age_days=10,
    ),
    DemoEntry(
        "dinkes",
        B,
        "Laporan Kinerja Instansi Pemerintah Dinas Kesehatan {prev}",
        "LKjIP: capaian indikator kinerja utama Dinas Kesehatan.",
        tags=("kinerja", "LKjIP"),
        subcategory="Kinerja",
        age_days=45,
    ),
    DemoEntry(
        "dinkes",
        B,
        "Cakupan Imunisasi Dasar Lengkap per Kecamatan",
        "Cakupan imunisasi dasar lengkap bayi per kecamatan dan per puskesmas.",
        tags=("imunisasi", "puskesmas"),
        subcategory="Data program",
    ),
    DemoEntry(
        "dinkes",
        T,
        "Daftar Puskesmas dan Jam Layanan",
        "Alamat, nomor telepon kantor dan jam layanan seluruh puskesmas.",
        tags=("puskesmas", "layanan"),
        subcategory="Layanan publik",
    ),
    DemoEntry(
        "dinkes",
        T,
        "Standar Pelayanan Perizinan Praktik Tenaga Kesehatan",
        "Persyaratan, prosedur, waktu dan biaya izin praktik tenaga kesehatan.",
        tags=("perizinan", "SIP"),
        subcategory="Prosedur kerja",
    ),
    DemoEntry(
        "dinkes",
        S,
        "Informasi serta merta kejadian luar biasa demam berdarah",
        "Peningkatan kasus demam berdarah dengue, langkah 3M Plus dan fogging.",
        tags=("DBD", "KLB", "wabah"),
        subcategory="Wabah penyakit",
    ),
    DemoEntry(
        "dinkes",
        S,
        "Peringatan kualitas udara dan ISPA akibat kabut asap",
        "Imbauan memakai masker dan layanan ISPA di puskesmas selama kabut asap.",
        tags=("kabut asap", "ISPA"),
        subcategory="Peringatan dini",
    ),
    DemoEntry(
        "dinkes",
        B,
        "Rencana Pengadaan Barang dan Jasa Dinas Kesehatan {year}",
        "Rencana umum pengadaan obat, alat kesehatan dan jasa konsultansi.",
        status=PROPOSED,
        tags=("pengadaan", "RUP"),
        subcategory="Pengadaan",
    ),
    DemoEntry(
        "dinkes",
        B,
        "Data Stunting per Kelurahan {year}",
        "Prevalensi stunting balita per kelurahan hasil penimbangan serentak.",
        status=DRAFT,
        tags=("stunting", "gizi"),
        subcategory="Data program",
    ),
    # Dinas Pendidikan
    DemoEntry(
        "disdik",
        B,
        "Penganggaran Dinas Pendidikan {year}",
        "Rencana Kerja dan Anggaran Dinas Pendidikan: BOS daerah, rehabilitasi "
        "sekolah dan beasiswa.",
        tags=("anggaran", "RKA", "pendidikan"),
        subcategory="Laporan keuangan",
        age_days=25,
    ),
    DemoEntry(
        "disdik",
        B,
        "Laporan Realisasi Anggaran Dinas Pendidikan {prev}",
        "Realisasi belanja pegawai, barang dan jasa, dan modal Dinas Pendidikan.",
        tags=("anggaran", "LRA"),
        subcategory="Laporan keuangan",
        age_days=120,
    ),
    DemoEntry(
        "disdik",
        B,
        "Data Pokok Pendidikan: Jumlah Sekolah, Guru dan Siswa",
        "Jumlah satuan pendidikan, guru dan peserta didik per jenjang dan kecamatan.",
        tags=("dapodik", "statistik"),
        subcategory="Data program",
        age_days=33,
        document="csv",
    ),
    DemoEntry(
        "disdik",
        T,
        "Petunjuk Teknis Penerimaan Peserta Didik Baru {year}",
        "Jalur zonasi, afirmasi, perpindahan tugas orang tua dan prestasi; jadwal SPMB.",
        tags=("PPDB", "SPMB", "zonasi"),
        subcategory="Kebijakan",
    ),
    DemoEntry(
        "disdik",
        T,
        "Daftar Penerima Beasiswa Kota Contoh {prev}",
        "Rekapitulasi jumlah penerima beasiswa per jenjang (tanpa data pribadi).",
        tags=("beasiswa",),
        subcategory="Data program",
    ),
    DemoEntry(
        "disdik",
        S,
        "Informasi serta merta libur sekolah akibat banjir",
        "Sekolah terdampak banjir diliburkan; pembelajaran jarak jauh sementara.",
        tags=("banjir", "sekolah"),
        subcategory="Bencana",
    ),
    DemoEntry(
        "disdik",
        B,
        "Laporan Kinerja Dinas Pendidikan {prev}",
        "Capaian indikator kinerja: angka partisipasi sekolah dan rata-rata lama sekolah.",
        status=DRAFT,
        tags=("kinerja",),
        subcategory="Kinerja",
    ),
    # Kecamatan Contoh Utara
    DemoEntry(
        "kecamatan",
        B,
        "Profil Kecamatan Contoh Utara",
        "Wilayah, penduduk, kelurahan dan susunan organisasi kecamatan.",
        tags=("profil", "kecamatan"),
        subcategory="Profil badan publik",
        age_days=200,
    ),
    DemoEntry(
        "kecamatan",
        B,
        "Laporan Realisasi Anggaran Kecamatan Contoh Utara {prev}",
        "Realisasi anggaran kecamatan termasuk dana kelurahan.",
        tags=("anggaran", "LRA", "dana kelurahan"),
        subcategory="Laporan keuangan",
        age_days=35,
    ),
    DemoEntry(
        "kecamatan",
        T,
        "Standar Pelayanan Administrasi Terpadu Kecamatan",
        "Persyaratan dan waktu layanan PATEN: surat keterangan dan rekomendasi.",
        tags=("PATEN", "pelayanan"),
        subcategory="Prosedur kerja",
    ),
    DemoEntry(
        "kecamatan",
        S,
        "Informasi serta merta banjir Kecamatan Contoh Utara",
        "Lokasi genangan, posko pengungsian dan dapur umum selama banjir.",
        tags=("banjir", "bencana", "posko"),
        subcategory="Bencana",
    ),
    DemoEntry(
        "kecamatan",
        T,
        "Hasil Musrenbang Kecamatan {year}",
        "Usulan prioritas pembangunan hasil musyawarah perencanaan pembangunan.",
        tags=("musrenbang", "perencanaan"),
        subcategory="Perencanaan",
    ),
    # Kelurahan Sukamaju
    DemoEntry(
        "kelurahan",
        B,
        "Profil Kelurahan Sukamaju",
        "Jumlah penduduk, RW dan RT, sarana umum dan perangkat kelurahan.",
        tags=("profil", "kelurahan"),
        subcategory="Profil badan publik",
        age_days=15,
    ),
    DemoEntry(
        "kelurahan",
        B,
        "Penggunaan Dana Kelurahan Sukamaju {prev}",
        "Realisasi dana kelurahan untuk sarana prasarana dan pemberdayaan masyarakat.",
        tags=("dana kelurahan", "anggaran"),
        subcategory="Laporan keuangan",
        age_days=50,
    ),
    DemoEntry(
        "kelurahan",
        T,
        "Persyaratan Surat Keterangan Domisili",
        "Dokumen yang dibawa dan waktu penyelesaian surat keterangan domisili.",
        tags=("surat keterangan", "pelayanan"),
        subcategory="Prosedur kerja",
    ),
    DemoEntry(
        "kelurahan",
        S,
        "Jalur evakuasi dan titik kumpul banjir Sukamaju",
        "Peta jalur evakuasi dan titik kumpul warga bila terjadi banjir.",
        tags=("banjir", "evakuasi"),
        subcategory="Bencana",
        status=PROPOSED,
    ),
    # RSUD
    DemoEntry(
        "rsud",
        B,
        "Laporan Keuangan BLUD RSUD Kota Contoh {prev}",
        "Neraca, laporan operasional dan arus kas BLUD RSUD.",
        tags=("anggaran", "BLUD", "neraca"),
        subcategory="Laporan keuangan",
        age_days=70,
        document="pdf",
    ),
    DemoEntry(
        "rsud",
        B,
        "Indikator Mutu Pelayanan RSUD Triwulan IV",
        "Waktu tunggu rawat jalan, kepatuhan kebersihan tangan dan kepuasan pasien.",
        tags=("mutu", "indikator"),
        subcategory="Kinerja",
        age_days=8,
    ),
    DemoEntry(
        "rsud",
        T,
        "Tarif Layanan RSUD Kota Contoh",
        "Tarif rawat jalan, rawat inap, penunjang dan tindakan sesuai Perwali.",
        tags=("tarif", "layanan"),
        subcategory="Layanan publik",
    ),
    DemoEntry(
        "rsud",
        T,
        "Alur Pelayanan Pasien BPJS Kesehatan",
        "Alur pendaftaran, rujukan dan pelayanan pasien peserta JKN.",
        tags=("BPJS", "JKN", "alur"),
        subcategory="Prosedur kerja",
    ),
    DemoEntry(
        "rsud",
        S,
        "Informasi ketersediaan tempat tidur IGD dan ruang isolasi",
        "Ketersediaan tempat tidur IGD dan ruang isolasi, diperbarui setiap hari.",
        tags=("IGD", "tempat tidur"),
        subcategory="Layanan darurat",
    ),
    DemoEntry(
        "rsud",
        B,
        "Survei Kepuasan Masyarakat RSUD {prev}",
        "Indeks kepuasan masyarakat per unsur pelayanan.",
        status=DRAFT,
        tags=("SKM", "kepuasan"),
        subcategory="Kinerja",
    ),
)


@dataclass(frozen=True)
class DemoDik:
    """A consequence test of the demo (DOMAIN.md 6), with its test sheet as a PDF."""

    key: str
    unit: str
    values: dict[str, object] = field(default_factory=dict)


DIK_ENTRIES: tuple[DemoDik, ...] = (
    DemoDik(
        "rekam-medis",
        "rsud",
        {
            "title": "Rekam medis pasien RSUD Kota Contoh",
            "summary": "Rekam medis rawat jalan dan rawat inap seluruh pasien RSUD.",
            "category": DipCategory.SETIAP_SAAT,
            "public_summary": "Rekam medis pasien dikecualikan karena memuat rahasia pribadi "
            "(riwayat dan kondisi kesehatan).",
            "withheld_information": "Identitas pasien, diagnosis, hasil pemeriksaan penunjang, "
            "riwayat pengobatan dan catatan dokter.",
            "legal_basis_letter": "h",
            "legal_basis_number": "2",
            "other_laws": "UU 17/2023 tentang Kesehatan; UU 27/2022 tentang Pelindungan Data "
            "Pribadi",
            "harm_analysis": "Membuka rekam medis mengungkap rahasia pribadi pasien dan dapat "
            "menimbulkan diskriminasi.",
            "public_interest_analysis": "Kepentingan publik terpenuhi oleh data agregat "
            "indikator mutu yang sudah terbuka.",
            "balancing": "Kerugian bagi pasien lebih besar daripada manfaat membukanya.",
            "conclusion": "exempt",
            "exemption_condition": "Selama pasien tidak memberikan persetujuan tertulis; "
            "dapat permanen (Pasal 20 UU 14/2008 tidak membatasi huruf h).",
            "signed_by_role": "ppid_utama",
            "signed_by_name": "Kepala Dinas Komunikasi dan Informatika",
            "participants": ["PPID Utama", "PPID Pelaksana RSUD", "Tim Pertimbangan"],
        },
    ),
    DemoDik(
        "penyidikan-pangan",
        "dinkes",
        {
            "title": "Berkas penyelidikan kasus keracunan pangan",
            "summary": "Hasil uji laboratorium dan keterangan saksi dalam kasus keracunan "
            "pangan yang sedang disidik.",
            "category": DipCategory.SETIAP_SAAT,
            "public_summary": "Berkas penyelidikan kasus keracunan pangan yang sedang dalam "
            "proses penyidikan.",
            "withheld_information": "Hasil uji sampel, identitas pelapor dan saksi, dan "
            "kronologi temuan tim penyelidikan epidemiologi.",
            "legal_basis_letter": "a",
            "legal_basis_number": "1",
            "harm_analysis": "Membuka berkas dapat menghambat proses penyidikan dan "
            "membahayakan saksi.",
            "public_interest_analysis": "Publik telah menerima imbauan keamanan pangan melalui "
            "informasi serta merta.",
            "balancing": "Kepentingan penegakan hukum lebih besar sampai perkara diputus.",
            "conclusion": "exempt",
            "exemption_condition": "Sampai perkara diputus dan putusan berkekuatan hukum tetap.",
            "signed_by_role": "ppid_utama",
            "signed_by_name": "Kepala Dinas Komunikasi dan Informatika",
            "participants": ["PPID Utama", "PPID Pelaksana Dinas Kesehatan"],
        },
    ),
)
