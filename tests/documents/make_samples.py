"""Render the repository's own extraction samples (HTML, PDF, DOCX) and their expected JSON.

    .venv/bin/python tests/documents/make_samples.py

The documents are fictional but copy the layouts and traps of real scrutiny reports, council
minutes and cabinet responses. Each recommendation is written once below; the document is
rendered from it (with headings, paragraph numbers, responses and summaries around it) and the
expected JSON is written from the same text, so the two cannot drift apart. Expected PDF pages
are found with pdfplumber, independently of the extractor under test (which uses PDFium).
The outputs are committed, so the tests never need to run this.
"""

from __future__ import annotations

import html
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

import docx
import pdfplumber
import weasyprint
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Pt

SAMPLES = Path(__file__).resolve().parent / "samples"


@dataclass
class Rec:
    number: str
    text: list[str]  # the parts as printed: paragraphs, or a lead-in then bullet points
    title: str | None = None
    bullets: list[str] = field(default_factory=list)  # printed as a bullet list after text[0]
    page_marker: str = ""  # text on the page where the recommendation starts (PDF only)

    @property
    def expected_text(self) -> str:
        parts = [self.text[0], *self.bullets, *self.text[1:]]
        return re.sub(r"\s+", " ", " ".join(parts)).strip()


def write_expected(name: str, recs: list[Rec], description: str, pages: list[int] | None = None):
    items = []
    for position, rec in enumerate(recs):
        item: dict[str, object] = {"number": rec.number}
        if rec.title:
            item["title"] = rec.title
        item["text"] = rec.expected_text
        if pages is not None:
            item["page"] = pages[position]
        items.append(item)
    payload = {"document_type": description, "complete": True, "recommendations": items}
    text = json.dumps(payload, ensure_ascii=False, indent=2) + "\n"
    (SAMPLES / f"{name}.expected.json").write_text(text, encoding="utf-8")


def e(text: str) -> str:
    return html.escape(text, quote=False)


# ------------------------------------------------------------------------------------------
# 1. Eastbrook scrutiny review (PDF, 8+ pages): contents page with dot leaders, numbered report
#    paragraphs, "Recommendation N: Title" headings in the chapters, bullets and inline (i)/(ii)
#    inside recommendations, one recommendation broken across a page mid-sentence, prose that
#    starts "Recommendation 3 of the ...", a running header and "Page N of M" footers, and the
#    list repeated as a table in an appendix (the first shortened).

EASTBROOK = [
    Rec(
        "1",
        [
            "Eastbrook Council and Eastbrook Police should agree a single return home interview "
            "process for every child reported missing, so that each child is offered an "
            "interview within 72 hours of coming home. The process should set out:",
            "The panel asks for the first quarterly report on this process by September 2025.",
        ],
        title="Earlier help for children who go missing",
        bullets=[
            "who offers the interview, and how the child can choose who carries it out;",
            "how information from the interview reaches the exploitation hub the same day; and",
            "how the child's parents or carers are kept informed.",
        ],
    ),
    Rec(
        "2",
        [
            "The Licensing Committee should make safeguarding training a condition of every new "
            "and renewed taxi and private hire driver licence, covering: (i) how to recognise "
            "the signs of exploitation and (ii) how to report a concern to the police or the "
            "council. Drivers who do not complete the training within three months should have "
            "their licence suspended until they do."
        ],
        title="Training for taxi and private hire drivers",
    ),
    Rec(
        "3",
        [
            "The Council should set up a survivors' advisory group, paid for its time, to advise "
            "on every new exploitation policy before it is agreed.",
            "The group should report to this panel once a year in its own words.",
        ],
        title="Listening to survivors",
    ),
    Rec(
        "4",
        [
            "The Safeguarding Children Partnership should commission a shared record of "
            "exploitation concerns that police, health and children's social care staff can all",
            "read and add to, with access controlled by role and every access logged.",
            "The record should be in use across the partnership by April 2026.",
        ],
        title="A shared record of concerns",
    ),
    Rec(
        "5",
        [
            "The Council should publish progress against each of these recommendations on its "
            "website every six months, in plain English, with the evidence for each claim."
        ],
        title="Publishing progress",
    ),
    Rec(
        "6",
        [
            "The panel should review progress against these recommendations in twelve months' "
            "time and hear directly from young people about what has changed."
        ],
        title="Review of this report",
    ),
]

_FILLER = [
    "Witnesses from the council, the police and schools described how concerns about children "
    "were shared and acted upon, and where the arrangements had not worked as intended. ",
    "The panel also heard from parents and from young people supported by the exploitation "
    "team, whose accounts are reflected throughout this chapter. ",
    "Several witnesses said that the threshold for a referral was understood differently in "
    "each agency, so that the same child could be referred by one and not by another. ",
    "Officers accepted that information was still too often held in separate systems and "
    "passed on by email, which made it hard to see a pattern of concern over time. ",
    "Young people told us that they wanted to be asked what would help, and to be kept "
    "informed when decisions were made about them. ",
]


def filler(seed: int, sentences: int = 4) -> str:
    """Varied report prose, so no two paragraphs open the same way (as in real reports)."""
    return "".join(_FILLER[(seed * 3 + i) % len(_FILLER)] for i in range(sentences))


def _rec_html(rec: Rec, *, split: bool = False) -> str:
    parts = [f"<h3>Recommendation {rec.number}: {e(rec.title or '')}</h3>"]
    if split:
        # A page break in the middle of a sentence, as real reports have.
        parts.append(f"<p class='rec'>{e(rec.text[0])}</p>")
        parts.append(f"<p class='rec cont' style='break-before: page'>{e(rec.text[1])}</p>")
        parts.extend(f"<p class='rec'>{e(text)}</p>" for text in rec.text[2:])
        return "".join(parts)
    parts.append(f"<p class='rec'>{e(rec.text[0])}</p>")
    if rec.bullets:
        parts.append("<ul>" + "".join(f"<li>{e(b)}</li>" for b in rec.bullets) + "</ul>")
    parts.extend(f"<p class='rec'>{e(text)}</p>" for text in rec.text[1:])
    return "".join(parts)


def eastbrook() -> None:
    css = """
    @page { size: A4; margin: 2.5cm 2cm;
      @top-center { content: "Eastbrook Council - Scrutiny review of child exploitation";
                    font-size: 9pt; }
      @bottom-center { content: "Page " counter(page) " of " counter(pages); font-size: 9pt; } }
    body { font-family: "DejaVu Sans", sans-serif; font-size: 10.5pt; line-height: 1.35; }
    h1 { font-size: 22pt; } h2 { font-size: 16pt; break-before: page; } h3 { font-size: 12pt; }
    p.rec { margin: 0.4em 0; } p.cont { margin-top: 0; }
    .toc p { margin: 0.2em 0; }
    table { border-collapse: collapse; } td, th { border: 1px solid #999; padding: 4px;
      vertical-align: top; text-align: left; }
    """
    r = {rec.number: rec for rec in EASTBROOK}
    body = [
        "<h1>Keeping children safe from exploitation in Eastbrook</h1>",
        "<p>Report of the Children and Young People Scrutiny Panel</p><p>March 2025</p>",
        "<h2>Contents</h2><div class='toc'>",
        "<p>1. Introduction .......... 3</p><p>2. What we found .......... 4</p>",
        *(
            f"<p>Recommendation {rec.number}: {e(rec.title or '')} .......... {4 + i}</p>"
            for i, rec in enumerate(EASTBROOK)
        ),
        "<p>Appendix: Summary of recommendations .......... 9</p></div>",
        "<h2>1. Introduction</h2>",
        "<p>1.1 This review was set up in June 2024 after a serious case review found that "
        "warning signs about three children had been missed over two years.</p>",
        "<p>1.2 We make six recommendations. Each is addressed to the body that can act on it, "
        "and each has a date by which we expect to see progress.</p>",
        "<p>Recommendation 3 of the panel's 2019 review asked partners to involve survivors, "
        "and we return to that below.</p>",
        "<h2>2. What we found</h2>",
        *(f"<p>2.{n} {filler(n)}</p>" for n in range(1, 5)),
        _rec_html(r["1"]),
        *(f"<p>2.{n} {filler(n)}</p>" for n in range(5, 8)),
        "<h3>Licensing</h3>",
        f"<p>2.8 {filler(8, 2)}</p>",
        _rec_html(r["2"]),
        "<h2>3. Hearing from young people</h2>",
        *(f"<p>3.{n} {filler(n + 10)}</p>" for n in range(1, 4)),
        _rec_html(r["3"]),
        f"<p>3.4 {filler(14, 2)}</p>",
        _rec_html(r["4"], split=True),
        f"<p>3.5 {filler(15, 2)}</p>",
        "<h3>Accountability</h3>",
        _rec_html(r["5"]),
        _rec_html(r["6"]),
        "<h2>Appendix: Summary of recommendations</h2>",
        "<table><tr><th>No.</th><th>Recommendation</th></tr>",
        # The summary shortens recommendation 1 to its first sentence, as summaries do.
        f"<tr><td>1</td><td>{e(r['1'].text[0].split('. The process')[0])}.</td></tr>",
        *(
            f"<tr><td>{rec.number}</td><td>{e(rec.expected_text)}</td></tr>"
            for rec in EASTBROOK[1:]
        ),
        "</table>",
    ]
    document = f"<html><head><style>{css}</style></head><body>{''.join(body)}</body></html>"
    path = SAMPLES / "eastbrook-scrutiny-review.pdf"
    weasyprint.HTML(string=document).write_pdf(path)
    pages = []
    with pdfplumber.open(path) as pdf:
        texts = [page.extract_text() or "" for page in pdf.pages]
    for rec in EASTBROOK:
        heading = f"Recommendation {rec.number}: {rec.title}"
        # The chapter heading, not the contents line (which has dot leaders after it).
        pages.append(
            next(
                number
                for number, text in enumerate(texts, start=1)
                if any(line.strip() == heading for line in text.splitlines())
            )
        )
    split_start = pages[3]
    assert "read and add to" in texts[split_start], "recommendation 4 should cross a page"
    write_expected(
        "eastbrook-scrutiny-review",
        EASTBROOK,
        "Scrutiny panel report (PDF rendered from HTML): contents with dot leaders, numbered "
        "report paragraphs, 'Recommendation N: Title' headings with bullets and inline (i)/(ii), "
        "recommendation 4 broken across a page mid-sentence, running header and 'Page N of M' "
        "footer, prose starting 'Recommendation 3 of the ...', and the list repeated as a table "
        "in an appendix (recommendation 1 shortened there).",
        pages,
    )


# ------------------------------------------------------------------------------------------
# 2. Northfield committee report as a PDF: same-size bold sub-headings between items (how Word
#    PDFs show them), numbered report paragraphs before the list, the list crossing pages.

NORTHFIELD = json.loads(
    (SAMPLES / "northfield-committee-conclusions.expected.json").read_text(encoding="utf-8")
)["recommendations"]


def northfield_pdf() -> None:
    css = """
    @page { size: A4; margin: 2.5cm 2cm; @bottom-right { content: counter(page); } }
    body { font-family: "DejaVu Serif", serif; font-size: 11pt; line-height: 1.4; }
    h2 { font-size: 15pt; }
    p.sub { font-weight: bold; margin-bottom: 0.2em; }
    """
    chapter = (
        "The Committee heard from officers, partners, young people and parents about how "
        "concerns were raised, shared and acted upon across the county, and about how long it "
        "took for help to arrive once a concern had been raised. "
    )
    body = ["<h1>Protecting children from exploitation in Northfield</h1>"]
    for n in range(1, 12):
        if n in (1, 5, 9):
            body.append(f"<h2>{(n + 3) // 4} Evidence we received</h2>")
        body.append(f"<p>{n}. {chapter * 3}</p>")
    body.append("<h2>Conclusions and recommendations</h2>")
    subheads = {"1": "Recognising exploitation", "3": "Support after disclosure"}
    subheads["5"] = "Making the changes last"
    for item in NORTHFIELD:
        if item["number"] in subheads:
            body.append(f"<p class='sub'>{subheads[item['number']]}</p>")
        body.append(f"<p>{item['number']}. {e(item['text'])}</p>")
    body.append("<h2>Formal minutes</h2><p>Tuesday 4 March 2025</p><p>Members present:</p>")
    body.append("<p>Councillor A Morgan, in the Chair</p>")
    document = f"<html><head><style>{css}</style></head><body>{''.join(body)}</body></html>"
    path = SAMPLES / "northfield-committee-report.pdf"
    weasyprint.HTML(string=document).write_pdf(path)
    with pdfplumber.open(path) as pdf:
        texts = [page.extract_text() or "" for page in pdf.pages]
    recs = []
    pages = []
    after_heading = next(i for i, t in enumerate(texts) if "Conclusions and recommendations" in t)
    for item in NORTHFIELD:
        opening = f"{item['number']}. {' '.join(item['text'].split()[:3])}"
        pages.append(
            next(
                number
                for number, text in enumerate(texts, start=1)
                if number > after_heading and opening in text.replace("\n", " ")
            )
        )
        recs.append(Rec(item["number"], [item["text"]]))
    assert len(set(pages)) > 1, "the list should cross a page break"
    write_expected(
        "northfield-committee-report",
        recs,
        "Committee report (PDF): numbered report paragraphs 1-11, then a 'Conclusions and "
        "recommendations' list restarting at 1 with same-size bold sub-headings between items, "
        "(1)-(3) sub-points and bullet glyphs inside items, page numbers in the footer.",
        pages,
    )


# ------------------------------------------------------------------------------------------
# 3. Westmere cabinet minutes (HTML): lettered resolutions typed as "a)" with (i)/(ii) on their
#    own lines, a second resolution as <ol type="a"> with a nested bullet list, a numbered list
#    of discussion points that are not resolutions, and an unnumbered resolution.

WESTMERE = [
    Rec(
        "a",
        ["the Children's Safeguarding Partnership exploitation strategy 2025-2028 be approved;"],
    ),
    Rec(
        "b",
        [
            "the Director of Children's Services be asked to report progress against the "
            "strategy to the Cabinet every six months, including:",
            "(i) the number of children assessed as at risk of exploitation; and",
            "(ii) the number of child abduction warning notices and orders sought and granted;",
        ],
    ),
    Rec(
        "c",
        ["the Cabinet's thanks to the young people who helped to write the strategy be recorded."],
    ),
    Rec(
        "a",
        [
            "the revised Taxi and Private Hire Licensing Policy be adopted with effect from "
            "1 June 2025, subject to the following changes:"
        ],
        bullets=[
            "safeguarding training to be refreshed every three years; and",
            "drivers to report any concern about a child to the police within 24 hours;",
        ],
    ),
    Rec(
        "b",
        [
            "the Licensing Manager be authorised to make minor changes to the policy in "
            "consultation with the Cabinet Member;"
        ],
    ),
    Rec("c", ["the policy be reviewed by the Licensing Committee in 2027;"]),
    Rec(
        "d",
        [
            "the Council write to the Department for Transport asking for national minimum "
            "standards on driver safeguarding training; and"
        ],
    ),
    Rec(
        "e",
        [
            "a report on the number of drivers trained be brought to the Licensing Committee "
            "in December 2025."
        ],
    ),
]


def westmere() -> None:
    first, second = WESTMERE[:3], WESTMERE[3:]
    body = [
        "<nav><a href='/'>Home</a> <a href='/recs'>Recommendations</a></nav>",
        "<h1>Westmere Borough Council</h1>",
        "<h2>Minutes of the meeting of the Cabinet held on 3 April 2025</h2>",
        "<h3>41 Apologies for absence</h3><p>Apologies were received from Councillor Khan.</p>",
        "<h3>42 Children's Safeguarding Partnership: exploitation strategy</h3>",
        "<p>The Cabinet Member for Children presented the report of the Director of "
        "Children's Services.</p><p>Members raised the following points:</p>",
        "<ol><li>whether the strategy covered children placed outside the borough;</li>"
        "<li>how schools would be involved in the new hub; and</li>"
        "<li>the cost of the new missing from home service.</li></ol>",
        "<p><strong>RESOLVED</strong> &ndash; that:</p>",
        f"<p>a)&nbsp;&nbsp;&nbsp; {e(first[0].text[0])}</p>",
        f"<p>b)&nbsp;&nbsp;&nbsp; {e(first[1].text[0])}</p>",
        *(f"<p style='margin-left:2em'>{e(t)}</p>" for t in first[1].text[1:]),
        f"<p>c)&nbsp;&nbsp;&nbsp; {e(first[2].text[0])}</p>",
        "<h3>43 Licensing policy: taxi and private hire</h3>",
        "<p>The Cabinet Member for Communities introduced the revised policy.</p>",
        "<p>RESOLVED that:</p><ol type='a'>",
        f"<li>{e(second[0].text[0])}<ul>"
        + "".join(f"<li>{e(b)}</li>" for b in second[0].bullets)
        + "</ul></li>",
        *(f"<li>{e(rec.text[0])}</li>" for rec in second[1:]),
        "</ol>",
        "<h3>44 Exclusion of the press and public</h3>",
        "<p>RESOLVED &ndash; That the press and public be excluded for the following item.</p>",
        "<footer><p>Contact: Democratic Services</p></footer>",
    ]
    document = (
        "<!DOCTYPE html><html><head><meta charset='utf-8'><title>Cabinet minutes</title>"
        f"<script>var recommendations = 1;</script></head><body>{''.join(body)}</body></html>"
    )
    (SAMPLES / "westmere-cabinet-minutes.html").write_text(document, encoding="utf-8")
    write_expected(
        "westmere-cabinet-minutes",
        WESTMERE,
        "Council minutes (HTML): 'RESOLVED - that:' with typed a)-c) and (i)/(ii) sub-points on "
        "their own lines; a second resolution as an <ol type=a> with a nested bullet list; a "
        "numbered list of discussion points that are not resolutions; an unnumbered resolution.",
    )


# ------------------------------------------------------------------------------------------
# 4. Riverside cabinet response (DOCX): Word's own list numbering (the numbers are not in the
#    text), report paragraphs numbered 1.1, 1.2 by Word, list labels that differ from the real
#    recommendation numbers ("1. Working Group Recommendation 3"), lettered sub-points at the
#    second list level, bullets, and a response and lead officer after every recommendation.

RIVERSIDE = [
    Rec(
        "3",
        [
            "That the Council commissions an independent audit of how children's social care "
            "records concerns about exploitation, and publishes the findings in full."
        ],
    ),
    Rec(
        "4",
        [
            "That all licensed drivers complete child exploitation awareness training:",
            "(a) before their licence is first granted; and",
            "(b) every three years after that.",
        ],
    ),
    Rec(
        "6",
        [
            "That the Council funds a specialist exploitation worker in each of its three "
            "localities for at least three years."
        ],
        bullets=[
            "one worker to be based with the missing from home team;",
            "the others to work from family hubs.",
        ],
    ),
    Rec(
        "7",
        [
            "That the Cabinet Member for Children reports to the working group every six months "
            "on progress against these recommendations."
        ],
    ),
]


# The report's own recommendation to Cabinet, a Word-numbered paragraph under its heading.
CABINET = [Rec("2.1", ["That Cabinet agrees the responses set out in section 3 below."])]


def _docx_numbering(document: docx.document.Document) -> dict[str, str]:
    """Add two Word list definitions: 1. / 1.1 for report paragraphs, 1. / (a) for lists."""
    numbering = document.part.numbering_part.element

    def level(ilvl: int, fmt: str, text: str, indent: int) -> str:
        return (
            f'<w:lvl w:ilvl="{ilvl}"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/>'
            f'<w:lvlText w:val="{text}"/><w:lvlJc w:val="left"/>'
            f'<w:pPr><w:ind w:left="{indent}" w:hanging="567"/></w:pPr></w:lvl>'
        )

    definitions = {
        "paragraphs": ("90", "91", [("decimal", "%1."), ("decimal", "%1.%2")]),
        "recommendations": ("92", "93", [("decimal", "%1."), ("lowerLetter", "(%2)")]),
    }
    ids = {}
    for name, (abstract_id, num_id, levels) in definitions.items():
        levels_xml = "".join(
            level(i, fmt, text, 567 * (i + 1)) for i, (fmt, text) in enumerate(levels)
        )
        abstract = parse_xml(
            f'<w:abstractNum {nsdecls("w")} w:abstractNumId="{abstract_id}">'
            f'<w:multiLevelType w:val="multilevel"/>{levels_xml}</w:abstractNum>'
        )
        numbering.insert(0, abstract)
        numbering.append(
            parse_xml(
                f'<w:num {nsdecls("w")} w:numId="{num_id}">'
                f'<w:abstractNumId w:val="{abstract_id}"/></w:num>'
            )
        )
        ids[name] = num_id
    return ids


def _numbered(paragraph, num_id: str, ilvl: int) -> None:
    properties = paragraph._p.get_or_add_pPr()
    num_pr = properties.makeelement(qn("w:numPr"), {})
    ilvl_element = num_pr.makeelement(qn("w:ilvl"), {qn("w:val"): str(ilvl)})
    num_element = num_pr.makeelement(qn("w:numId"), {qn("w:val"): num_id})
    num_pr.append(ilvl_element)
    num_pr.append(num_element)
    properties.insert(0, num_pr)


def riverside() -> None:
    document = docx.Document()
    document.styles["Normal"].font.size = Pt(11)
    ids = _docx_numbering(document)
    document.add_heading("Riverside Council: Cabinet, 12 March 2025", 1)
    document.add_heading("Response to the Scrutiny Working Group on Child Exploitation", 2)

    def report_paragraph(text: str, ilvl: int, *, heading: bool = False) -> None:
        paragraph = document.add_paragraph()
        run = paragraph.add_run(text)
        run.bold = heading
        _numbered(paragraph, ids["paragraphs"], ilvl)

    report_paragraph("Purpose of the report", 0, heading=True)
    report_paragraph(
        "This report sets out the Executive's response to the four recommendations of the "
        "working group that fall to the Cabinet.",
        1,
    )
    report_paragraph(
        "Recommendations 1, 2 and 5 of the working group were addressed to partners and are "
        "answered by them separately.",
        1,
    )
    report_paragraph("Recommendation", 0, heading=True)
    report_paragraph(CABINET[0].text[0], 1)
    report_paragraph("Responses to the working group's recommendations", 0, heading=True)
    report_paragraph(
        "Each recommendation is set out below with the Executive's response and the lead officer.",
        1,
    )
    responses = [
        "Response: Accepted. The audit will be commissioned in May 2025 and reported to "
        "Cabinet in the autumn.",
        "Response: Accepted in part. Training will be required before a first licence is "
        "granted; refresher training will be every five years, in line with neighbouring "
        "authorities.",
        "Executive response: Accepted, subject to funding being confirmed in the budget.",
        "Response: Accepted.",
    ]
    leads = [
        "Director of Children's Services",
        "Head of Licensing",
        "Director of Children's Services",
        "Cabinet Member for Children",
    ]
    for rec, response, lead in zip(RIVERSIDE, responses, leads, strict=True):
        paragraph = document.add_paragraph(
            f"Working Group Recommendation {rec.number}: {rec.text[0]}"
        )
        _numbered(paragraph, ids["recommendations"], 0)
        for sub in rec.text[1:]:
            paragraph = document.add_paragraph(re.sub(r"^\([a-z]\) ", "", sub))
            _numbered(paragraph, ids["recommendations"], 1)
        for bullet in rec.bullets:
            document.add_paragraph(bullet, style="List Bullet")
        document.add_paragraph(response)
        document.add_paragraph(f"Lead officer: {lead}")
    report_paragraph("Financial implications", 0, heading=True)
    report_paragraph(
        "The cost of recommendation 6 is estimated at 150,000 pounds a year and is included "
        "in the draft budget.",
        1,
    )
    document.save(SAMPLES / "riverside-cabinet-response.docx")
    write_expected(
        "riverside-cabinet-response",
        CABINET + RIVERSIDE,
        "Cabinet report (DOCX) with Word list numbering: report paragraphs 1.1, 1.2, with the "
        "report's own recommendation as paragraph 2.1 under a bold 'Recommendation' heading; the "
        "working group's recommendations as a Word-numbered list 1-4 whose items say 'Working "
        "Group Recommendation 3/4/6/7' (the real numbers); (a)/(b) sub-points at list level 2; "
        "bullets; a response and lead officer after each recommendation.",
    )


# ------------------------------------------------------------------------------------------
# 5. Kingsbridge action plan (DOCX): the recommendations in a table beside the response, lead,
#    target date and RAG status; "R1"-style references; bullets and two paragraphs inside a
#    recommendation cell; numbered steps inside response cells; a lead-in before the table.

KINGSBRIDGE = [
    Rec(
        "R1",
        [
            "The Partnership should agree one definition of child exploitation and use it in "
            "every agency's procedures by March 2026."
        ],
    ),
    Rec(
        "R2",
        ["Each agency should train its front-line staff to recognise exploitation, including:"],
        bullets=[
            "signs of online grooming;",
            "the links between going missing and exploitation; and",
            "how to record a concern so that others can see it.",
        ],
    ),
    Rec(
        "R3",
        [
            "The Council should commission a return home interview service that children trust.",
            "The service should be independent of children's social care.",
        ],
    ),
    Rec(
        "R4",
        [
            "Health partners should make sure that every sexual health clinic asks young people "
            "about exploitation at every visit."
        ],
    ),
]


def kingsbridge() -> None:
    document = docx.Document()
    document.add_heading("Kingsbridge Safeguarding Partnership", 1)
    document.add_heading("Action plan: review of child exploitation (updated May 2025)", 2)
    document.add_paragraph("The Partnership agreed the following actions:")
    headers = ["Ref", "Recommendation", "Partnership response", "Lead", "Target date", "RAG"]
    table = document.add_table(rows=1, cols=len(headers))
    for cell, text in zip(table.rows[0].cells, headers, strict=True):
        cell.text = text
    responses = [
        ["Accepted. The definition was agreed in April 2025."],
        ["Accepted. Training will be delivered in three stages:", "1. managers;", "2. staff."],
        ["Partially accepted: the service will be commissioned from a charity."],
        ["Accepted."],
    ]
    leads = ["Partnership manager", "Training lead", "Head of commissioning", "ICB"]
    for rec, response, lead in zip(KINGSBRIDGE, responses, leads, strict=True):
        cells = table.add_row().cells
        cells[0].text = rec.number
        cells[1].text = rec.text[0]
        for bullet in rec.bullets:
            cells[1].add_paragraph(bullet, style="List Bullet")
        for text in rec.text[1:]:
            cells[1].add_paragraph(text)
        cells[2].text = response[0]
        for text in response[1:]:
            cells[2].add_paragraph(text)
        cells[3].text = lead
        cells[4].text = "March 2026"
        cells[5].text = "Amber"
    document.add_heading("Next review", 2)
    document.add_paragraph("The plan will be reviewed by the Partnership board in September.")
    document.save(SAMPLES / "kingsbridge-action-plan.docx")
    write_expected(
        "kingsbridge-action-plan",
        KINGSBRIDGE,
        "Partnership action plan (DOCX) as a table: Ref | Recommendation | Partnership response "
        "| Lead | Target date | RAG, with 'R1' references, bullets and two paragraphs inside a "
        "recommendation cell, numbered steps in a response cell, and an 'agreed the following "
        "actions:' lead-in before the table.",
    )


if __name__ == "__main__":
    eastbrook()
    northfield_pdf()
    westmere()
    riverside()
    kingsbridge()
    print("wrote samples to", SAMPLES)
