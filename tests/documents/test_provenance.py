"""Provenance: each extracted recommendation points at the page and paragraphs it came from."""

from __future__ import annotations

from pathlib import Path

from followthrough.documents.extraction.finding import find_recommendations
from followthrough.documents.extraction.lines import TextLine
from followthrough.documents.extraction.reading import read_document
from followthrough.documents.provenance import Span, locate, source_paragraphs

SAMPLES = Path(__file__).resolve().parent / "samples"
SHARED = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "extraction-samples"


def _located(path: Path):
    lines = read_document(path)
    found = find_recommendations(lines)
    paragraphs = source_paragraphs(lines)
    return found, paragraphs, locate([(r.title, r.text, r.page) for r in found], paragraphs)


def test_source_paragraphs_split_at_blank_lines_headings_and_numbered_items():
    lines = [
        TextLine("Recommendations", heading=1),
        TextLine("1. The council should"),
        TextLine("act.", para_start=False),
        TextLine("2. The police should", para_start=False),
        TextLine("too.", para_start=False),
    ]
    paragraphs = source_paragraphs(lines)
    assert [(p.number, p.text, p.heading) for p in paragraphs] == [
        (1, "Recommendations", True),
        (2, "1. The council should act.", False),
        (3, "2. The police should too.", False),
    ]


def test_locate_finds_text_across_paragraphs_and_takes_in_the_title_line():
    lines = [
        TextLine("Recommendation 4: Training", heading=2),
        TextLine("All drivers should be trained"),
        TextLine("every three years."),
    ]
    spans = locate(
        [("Training", "All drivers should be trained every three years.", None)],
        source_paragraphs(lines),
    )
    assert spans == [Span(1, 3)]


def test_locate_prefers_the_copy_on_the_recommendations_page():
    lines = [
        TextLine("The council should publish its plan.", page=2),
        TextLine("The council should publish its plan.", page=9),
    ]
    paragraphs = source_paragraphs(lines)
    assert locate([(None, "The council should publish its plan.", 9)], paragraphs) == [Span(2, 2)]
    assert locate([(None, "Nothing like this.", None)], paragraphs) == [None]


def test_every_sample_recommendation_is_located_on_its_pdf_page():
    for path in [
        SAMPLES / "eastbrook-scrutiny-review.pdf",
        SAMPLES / "northfield-committee-report.pdf",
    ]:
        found, paragraphs, spans = _located(path)
        assert spans and all(spans)
        for item, span in zip(found, spans, strict=True):
            assert paragraphs[span.first - 1].page in (item.page, item.page - 1)
            source = " ".join(p.text for p in paragraphs[span.first - 1 : span.last])
            assert item.text.split()[0] in source


def test_every_recommendation_in_the_word_html_and_text_samples_is_located():
    paths = [p for p in sorted(SAMPLES.iterdir()) if p.suffix in (".docx", ".html", ".txt")]
    paths += sorted(SHARED.glob("*.txt"))
    for path in paths:
        found, paragraphs, spans = _located(path)
        assert all(spans), path.name
        # In order, as in the document.
        firsts = [span.first for span in spans if span]
        assert firsts == sorted(firsts), path.name
