"""The grids as an organiser prints them: headless Chromium prints the meeting grid and the
agendas that `partnering grid` wrote, and the PDFs have the pages and the names a person
expects (pdfinfo, pdftotext)."""

import re
import subprocess
from pathlib import Path

from test_grids_support import PARTICIPANTS, grid, require_tool, write_inputs


def print_to_pdf(html: Path, pdf: Path, profile: Path) -> None:
    chromium = require_tool("chromium")
    subprocess.run(
        [
            chromium,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-pdf-header-footer",
            f"--user-data-dir={profile}",
            f"--print-to-pdf={pdf}",
            html.as_uri(),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    assert pdf.exists() and pdf.stat().st_size > 0


def pdf_info(pdf: Path) -> tuple[int, float, float]:
    """Pages, and the width and height of the first page in points."""
    info = subprocess.run([require_tool("pdfinfo"), str(pdf)], check=True, capture_output=True, text=True).stdout
    pages = int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))
    width, height = map(float, re.search(r"^Page size:\s+([\d.]+) x ([\d.]+)", info, re.M).groups())
    return pages, width, height


def page_text(pdf: Path, page: int) -> str:
    return subprocess.run(
        [require_tool("pdftotext"), "-layout", "-f", str(page), "-l", str(page), str(pdf), "-"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout


def render(binary: Path, tmp_path: Path) -> Path:
    problem, schedule = write_inputs(tmp_path)
    out = tmp_path / "out"
    grid(binary, "--problem", str(problem), "--schedule", str(schedule), "--language", "en", "-o", str(out))
    return out


def test_grid_prints_an_overview_then_one_a3_landscape_page_per_day(binary, tmp_path):
    out = render(binary, tmp_path)
    pdf = tmp_path / "grid.pdf"
    print_to_pdf(out / "grid.html", pdf, tmp_path / "profile")

    pages, width, height = pdf_info(pdf)
    assert pages == 3
    assert (round(width), round(height)) == (1191, 842)  # A3 landscape

    overview, friday, saturday = (page_text(pdf, n) for n in (1, 2, 3))
    assert "Overview" in overview and "Table utilisation by slot" in overview
    assert "13 November 2026" in friday
    for name in ["Ada Lovelace", "Hélène Dupré", "Grace Hopper", "Marie Curie", "Rosalind Franklin"]:
        assert name in friday
    assert "Lise Meitner" not in friday
    assert "14 November 2026" in saturday
    assert "Grace Hopper" in saturday and "Lise Meitner" in saturday
    assert "Ada Lovelace" not in saturday


def test_agendas_print_one_a4_portrait_page_per_participant(binary, tmp_path):
    out = render(binary, tmp_path)
    pdf = tmp_path / "agendas.pdf"
    print_to_pdf(out / "agendas.html", pdf, tmp_path / "profile")

    pages, width, height = pdf_info(pdf)
    assert pages == len(PARTICIPANTS)
    assert (round(width), round(height)) == (595, 842)  # A4 portrait

    for number, participant in enumerate(PARTICIPANTS, start=1):
        text = page_text(pdf, number)
        heading = [line.strip() for line in text.splitlines() if line.strip()][1]
        assert heading == participant["name"]
    marie = page_text(pdf, 4)
    assert "09:00–09:30" in marie and "Ada Lovelace" in marie and "Onco Bio SAS" in marie
    assert "14:00–14:30" in marie and "Hélène Dupré" in marie
    lise = page_text(pdf, 6)
    assert "Saturday" in lise and "Grace Hopper" in lise and "Stand 3" in lise


def test_table_sheets_print_one_a4_page_per_table_with_free_slots(binary, tmp_path):
    out = render(binary, tmp_path)
    pdf = tmp_path / "tables.pdf"
    print_to_pdf(out / "tables.html", pdf, tmp_path / "profile")

    pages, width, height = pdf_info(pdf)
    assert pages == 3
    assert (round(width), round(height)) == (595, 842)
    stand = page_text(pdf, 3)
    assert "Stand 3" in stand and "Host: Grace Hopper" in stand
    assert "Marie Curie" in stand and "Lise Meitner" in stand
    assert stand.count("free") == 4
