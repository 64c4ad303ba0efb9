"""The emails requesters receive: Indonesian first, then English; plain text and HTML.

No name or address goes into a subject (subjects stay in the outbox after sending).
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from urllib.parse import urlencode, urlsplit, urlunsplit

SIGNATURE_ID = "Salam,\nPPID (layanan informasi publik)"
SIGNATURE_EN = "Regards,\nPPID (public information service)"
IGNORE_ID = "Jika Anda tidak memintanya, abaikan email ini."
IGNORE_EN = "If you did not ask for this, ignore this email."


@dataclass(frozen=True)
class Email:
    subject: str
    text: str
    html: str


def link_with_token(base: str, token: str) -> str:
    """`base?token=…`, keeping any query `base` already has."""
    parts = urlsplit(base)
    query = f"{parts.query}&" if parts.query else ""
    return urlunsplit(parts._replace(query=query + urlencode({"token": token})))


def _compose(
    subject: tuple[str, str], indonesian: list[str], english: list[str], link: str | None
) -> Email:
    """One email from paragraphs in both languages; `link` follows the first paragraph of each."""

    def section(paragraphs: list[str], signature: str) -> tuple[list[str], list[str]]:
        text = [paragraphs[0], *([link] if link else []), *paragraphs[1:], signature]
        markup = [f"<p>{html.escape(paragraphs[0])}</p>"]
        if link:
            safe = html.escape(link, quote=True)
            markup.append(f'<p><a href="{safe}">{safe}</a></p>')
        markup += [f"<p>{html.escape(p)}</p>" for p in [*paragraphs[1:], signature]]
        return text, markup

    text_id, html_id = section(indonesian, SIGNATURE_ID)
    text_en, html_en = section(english, SIGNATURE_EN)
    text = "\n\n".join([*text_id, "-- English --", *text_en]) + "\n"
    body = "\n".join([*html_id, '<hr><div lang="en">', *html_en, "</div>"])
    page = f'<!doctype html>\n<html lang="id"><body>\n{body}\n</body></html>\n'
    return Email(subject=f"{subject[0]} / {subject[1]}", text=text, html=page)


def verification(link: str, hours: int) -> Email:
    return _compose(
        ("Konfirmasi alamat email Anda", "Confirm your email address"),
        [
            "Buka tautan berikut untuk mengonfirmasi alamat email akun pemohon informasi Anda:",
            f"Tautan ini berlaku {hours} jam dan hanya dapat dipakai sekali. {IGNORE_ID}",
        ],
        [
            "Open the following link to confirm the email address of your requester account:",
            f"The link is valid for {hours} hours and works once. {IGNORE_EN}",
        ],
        link,
    )


def existing_account() -> Email:
    return _compose(
        ("Akun Anda sudah terdaftar", "You already have an account"),
        [
            "Seseorang mencoba mendaftar dengan alamat email ini, tetapi akun dengan alamat ini "
            "sudah ada. Silakan masuk, atau gunakan fitur lupa kata sandi bila Anda lupa.",
            IGNORE_ID,
        ],
        [
            "Someone tried to register with this email address, but an account with it already "
            "exists. Please log in, or use the forgotten-password feature if you need to.",
            IGNORE_EN,
        ],
        None,
    )


def password_reset(link: str, minutes: int) -> Email:
    return _compose(
        ("Atur ulang kata sandi", "Reset your password"),
        [
            "Buka tautan berikut untuk membuat kata sandi baru:",
            f"Tautan ini berlaku {minutes} menit dan hanya dapat dipakai sekali. {IGNORE_ID}",
        ],
        [
            "Open the following link to choose a new password:",
            f"The link is valid for {minutes} minutes and works once. {IGNORE_EN}",
        ],
        link,
    )


def password_changed() -> Email:
    return _compose(
        ("Kata sandi Anda telah diubah", "Your password was changed"),
        [
            "Kata sandi akun Anda baru saja diubah dan semua sesi telah diakhiri. Jika bukan Anda "
            "yang mengubahnya, segera atur ulang kata sandi dan hubungi PPID.",
        ],
        [
            "Your account's password was just changed and every session was ended. If it was not "
            "you, reset your password at once and contact the PPID.",
        ],
        None,
    )


def email_change_requested() -> Email:
    return _compose(
        ("Permintaan mengganti alamat email", "Request to change your email address"),
        [
            "Ada permintaan untuk mengganti alamat email akun Anda. Alamat baru berlaku setelah "
            "dikonfirmasi. Jika bukan Anda, atur ulang kata sandi Anda.",
        ],
        [
            "Someone asked to change your account's email address. The new address takes effect "
            "once confirmed. If it was not you, reset your password.",
        ],
        None,
    )


def account_deleted() -> Email:
    return _compose(
        ("Akun Anda telah dihapus", "Your account was deleted"),
        [
            "Akun pemohon informasi Anda dan data pribadinya telah dihapus. Permohonan yang sudah "
            "diajukan tetap dicatat oleh PPID sebagaimana diwajibkan undang-undang.",
        ],
        [
            "Your requester account and its personal data were deleted. Requests already filed "
            "stay on the PPID's record as the law requires.",
        ],
        None,
    )
