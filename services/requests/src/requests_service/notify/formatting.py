"""One email from its blocks, as plain text and HTML (dates and amounts: `texts`)."""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass

FOOTER = "Email ini dikirim otomatis oleh layanan informasi publik; mohon tidak membalasnya."

Facts = Sequence[tuple[str, str]]


@dataclass(frozen=True)
class Email:
    subject: str
    text: str
    html: str


def compose(
    subject: str,
    greeting: str,
    paragraphs: Sequence[str],
    facts: Facts,
    link: tuple[str, str] | None,
    closing: Sequence[str],
) -> Email:
    """Plain text and its HTML twin: greeting, paragraphs, facts, the link, closing, footer."""
    fact_lines = [f"- {label}: {value}" for label, value in facts]
    text_blocks = [greeting, *paragraphs, "\n".join(fact_lines)]
    html_blocks = [f"<p>{html.escape(greeting)}</p>"]
    html_blocks += [f"<p>{html.escape(paragraph)}</p>" for paragraph in paragraphs]
    items = "".join(
        f"<li>{html.escape(label)}: {html.escape(value)}</li>" for label, value in facts
    )
    html_blocks.append(f"<ul>{items}</ul>")
    if link is not None:
        intro, url = link
        text_blocks.append(f"{intro}\n{url}")
        safe = html.escape(url, quote=True)
        html_blocks.append(f'<p>{html.escape(intro)}<br><a href="{safe}">{safe}</a></p>')
    text_blocks += [*closing, FOOTER]
    html_blocks += [f"<p>{html.escape(p)}</p>".replace("\n", "<br>") for p in [*closing, FOOTER]]
    page = '<!doctype html>\n<html lang="id"><body>\n' + "\n".join(html_blocks)
    return Email(
        subject=subject[:255],
        text="\n\n".join(text_blocks) + "\n",
        html=page + "\n</body></html>\n",
    )
