"""The two commands as a user runs them: the real console script, its output and exit code."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pypdf
import pytest

from followthrough.cli import main

SHARED_SAMPLES = (
    Path(__file__).resolve().parents[2].parent / "shared" / "data" / "extraction-samples"
)
OWN_SAMPLES = Path(__file__).resolve().parent / "samples"
FOLLOWTHROUGH = Path(sys.executable).parent / "followthrough"


@dataclass
class Outcome:
    returncode: int
    stdout: str
    stderr: str


@pytest.fixture
def run(capfd) -> Callable[..., Outcome]:
    """Run the console script's entry point in-process, as `followthrough ARGS` would.

    `main` goes through Django's `run_from_argv`, which turns a CommandError into a message
    on stderr and an exit code; capfd also catches anything a C library writes to fd 2.
    """

    def invoke(*args: str | Path) -> Outcome:
        capfd.readouterr()
        try:
            code = main([str(arg) for arg in args])
        except SystemExit as exit_:
            code = exit_.code if isinstance(exit_.code, int) else 1
        captured = capfd.readouterr()
        return Outcome(code, captured.out, captured.err)

    return invoke


def test_extract_recommendations_prints_the_json_contract(run):
    result = run("extract_recommendations", SHARED_SAMPLES / "iicsa-2021-lambeth-council.txt")
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    payload = json.loads(result.stdout)
    assert list(payload) == ["recommendations"]
    first = payload["recommendations"][0]
    assert first == {
        "number": "1",
        "title": "Response to this investigation report",
        "text": first["text"],
        "page": None,
    }
    assert first["text"].startswith("Lambeth Council should develop and publish")


def test_extract_recommendations_gives_pdf_pages(run):
    result = run("extract_recommendations", OWN_SAMPLES / "eastbrook-scrutiny-review.pdf")
    assert result.returncode == 0, result.stderr
    pages = [item["page"] for item in json.loads(result.stdout)["recommendations"]]
    assert all(isinstance(page, int) and page > 1 for page in pages)
    assert pages == sorted(pages)


@pytest.mark.parametrize("directory", [SHARED_SAMPLES, OWN_SAMPLES], ids=["shared", "own"])
def test_evaluate_extraction_reports_per_file_and_overall_f1(run, directory):
    result = run("evaluate_extraction", directory)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.strip().splitlines()
    documents = [path for path in directory.iterdir() if not path.name.endswith(".json")]
    documents = [path for path in documents if path.suffix in (".txt", ".html", ".pdf", ".docx")]
    assert len(lines) == len(documents) + 1
    for document in documents:
        assert any(line.startswith(f"{document.name}: precision ") for line in lines)
    overall = lines[-1]
    assert overall.startswith("overall: precision ")
    f1 = float(overall.split(" F1 ")[1].split()[0])
    assert f1 >= 0.95, result.stdout


def test_evaluate_extraction_counts_a_wrong_answer_against_the_score(run, tmp_path):
    (tmp_path / "report.txt").write_text(
        "Recommendation 1: Data\n\nThe council should publish data.\n\n"
        "Recommendation 2: Training\n\nDrivers should be trained.\n",
        encoding="utf-8",
    )
    expected = {
        "recommendations": [
            {"number": "1", "text": "The council should publish data."},
            {"number": "2", "text": "Drivers should be", "truncated": True},
            {"number": "3", "text": "A recommendation the extractor cannot find."},
        ]
    }
    (tmp_path / "report.expected.json").write_text(json.dumps(expected), encoding="utf-8")
    result = run("evaluate_extraction", tmp_path)
    assert result.returncode == 0, result.stderr
    # Two of three found (the truncated one as a prefix), nothing found wrongly.
    assert "overall: precision 1.000 recall 0.667 F1 0.800" in result.stdout


def _encrypted_pdf(path: Path) -> None:
    writer = pypdf.PdfWriter()
    writer.append(OWN_SAMPLES / "northfield-committee-report.pdf", pages=(0, 1))
    writer.encrypt("secret-password")
    writer.write(path)


@pytest.mark.parametrize(
    ("name", "make", "problem"),
    [
        ("empty.txt", lambda path: path.write_bytes(b""), "is empty"),
        ("empty.docx", lambda path: path.write_bytes(b""), "is empty"),
        ("locked.pdf", _encrypted_pdf, "encrypted"),
        ("report.pdf", lambda path: path.write_text("Just text."), "does not match"),
        ("report.docx", lambda path: path.write_bytes(b"%PDF-1.7\n..."), "does not match"),
        ("junk.html", lambda path: path.write_bytes(bytes(range(256)) * 40), "binary data"),
        ("missing.txt", lambda path: None, "no such file"),
    ],
)
def test_extract_recommendations_refuses_bad_files_with_one_line_and_exit_2(
    run, tmp_path, name, make, problem
):
    path = tmp_path / name
    make(path)
    result = run("extract_recommendations", path)
    assert result.returncode == 2
    assert result.stdout == ""
    assert len(result.stderr.splitlines()) == 1, result.stderr
    assert str(path) in result.stderr
    assert problem in result.stderr
    assert "Traceback" not in result.stderr


def test_evaluate_extraction_refuses_a_missing_directory(run, tmp_path):
    result = run("evaluate_extraction", tmp_path / "nowhere")
    assert result.returncode == 2
    assert len(result.stderr.splitlines()) == 1


def test_installed_console_script_exits_2_with_one_line_for_an_encrypted_pdf(tmp_path):
    # The same contract end to end, through the real `followthrough` executable.
    path = tmp_path / "locked.pdf"
    _encrypted_pdf(path)
    result = subprocess.run(  # noqa: S603 - our own executable, with arguments we made
        [str(FOLLOWTHROUGH), "extract_recommendations", str(path)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.strip().splitlines() == [
        f"CommandError: {path}: is encrypted (password-protected)"
    ]
