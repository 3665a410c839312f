"""Time recommendation extraction on a 300-page PDF (issue 4: under 15 seconds).

    .venv/bin/python bench/bench_extraction.py [--runs 5] [--pages 300] [--keep PATH]

Builds a report the size of a long independent inquiry (chapters of numbered paragraphs,
"Recommendation N" boxes with bullets, running headers and page-number footers, a summary
table of recommendations at the end) with WeasyPrint, then extracts it several times and
prints the median. Building the PDF is not timed: only what a user waits for is.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

import weasyprint

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from followthrough.documents.extraction import extract_recommendations  # noqa: E402

TARGET_SECONDS = 15.0

CSS = """
@page { size: A4; margin: 2.5cm 2cm;
  @top-center { content: "Independent inquiry into child sexual exploitation"; font-size: 9pt; }
  @bottom-center { content: "Page " counter(page) " of " counter(pages); font-size: 9pt; } }
body { font-family: "DejaVu Serif", serif; font-size: 10.5pt; line-height: 1.35; }
h2 { break-before: page; font-size: 16pt; } h3 { font-size: 12pt; }
td, th { border: 1px solid #999; padding: 3px; vertical-align: top; }
"""

SENTENCES = [
    "Witnesses described how concerns about children were shared between agencies and where "
    "those arrangements had not worked as intended.",
    "The inquiry reviewed case files for 212 children known to the exploitation team between "
    "2015 and 2022, together with the minutes of the multi-agency meetings.",
    "Young people told the inquiry that they wanted to be asked what would help them, and to "
    "be told when decisions were made about their lives.",
    "Officers accepted that information was still held in separate systems and passed on by "
    "email, which made it difficult to see a pattern of concern over time.",
    "Schools said that referrals were often returned with a request for more information, and "
    "that they rarely heard what had happened next.",
    "Licensing officers explained that drivers' safeguarding training had not been refreshed "
    "since it was first introduced in 2016.",
]


def report_html(chapters: int) -> tuple[str, int]:
    """A long report and the number of recommendations in it."""
    parts = ["<h1>Report of the independent inquiry</h1>"]
    recommendation = 0
    summary = []
    for chapter in range(1, chapters + 1):
        parts.append(f"<h2>{chapter}. Findings on theme {chapter}</h2>")
        for paragraph in range(1, 25):
            text = " ".join(SENTENCES[(chapter + paragraph + i) % 6] for i in range(4))
            parts.append(f"<p>{chapter}.{paragraph} {text}</p>")
            if paragraph % 12 == 0:
                recommendation += 1
                body = (
                    f"The council and its partners should act on finding {chapter}.{paragraph} "
                    "within six months and report progress to the scrutiny committee."
                )
                summary.append((recommendation, body))
                parts.append(
                    f"<h3>Recommendation {recommendation}: Theme {chapter}, part "
                    f"{paragraph // 12}</h3><p>{body} The plan should cover:</p><ul>"
                    "<li>who leads the work;</li><li>how children are involved; and</li>"
                    "<li>how progress will be measured.</li></ul>"
                )
    parts.append("<h2>Appendix: Summary of recommendations</h2><table>")
    parts.extend(f"<tr><td>{number}</td><td>{body}</td></tr>" for number, body in summary)
    parts.append("</table>")
    html = f"<html><head><style>{CSS}</style></head><body>{''.join(parts)}</body></html>"
    return html, recommendation


def build_pdf(path: Path, pages: int) -> int:
    """Render a report of at least `pages` pages to `path`; return its recommendation count."""
    chapters = max(1, pages // 6)
    while True:
        html, count = report_html(chapters)
        document = weasyprint.HTML(string=html).render()
        if len(document.pages) >= pages:
            document.write_pdf(path)
            print(f"built {path.name}: {len(document.pages)} pages, {count} recommendations")
            return count
        chapters = int(chapters * pages / len(document.pages)) + 1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--pages", type=int, default=300)
    parser.add_argument("--keep", type=Path, help="write the PDF here and keep it")
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        path = options.keep or Path(folder) / "long-report.pdf"
        # A kept PDF from an earlier run is reused, since building it takes longer than the run.
        expected = None if path.exists() else build_pdf(path, options.pages)
        timings = []
        for run in range(1, options.runs + 1):
            started = time.perf_counter()
            found = extract_recommendations(path)
            timings.append(time.perf_counter() - started)
            print(f"run {run}: {timings[-1]:.2f} s, {len(found)} recommendations")
        if expected is not None and len(found) != expected:
            print(f"warning: expected {expected} recommendations, found {len(found)}")
        median = statistics.median(timings)
        verdict = "within" if median < TARGET_SECONDS else "OVER"
        print(
            f"median: {median:.2f} s over {options.runs} runs ({verdict} the {TARGET_SECONDS:.0f} s target)"
        )
        return 0 if median < TARGET_SECONDS else 1


if __name__ == "__main__":
    raise SystemExit(main())
