"""The long commands' progress bars: shown on a terminal, never mixed into piped output.

The commands decide by asking ``sys.stderr`` (and the command's stdout) whether they are a
terminal, so the tests give them a real pseudo-terminal (``pty``) rather than a stand-in that
merely claims to be one: what reaches the terminal is read back from its other end.
"""

import fcntl
import io
import os
import pty
import select
import struct
import sys
import termios

import pytest
from django.core.management import call_command

from claims import services

BAR = "claims/s"  # tqdm's rate, in the commands' unit


class Terminal:
    """A pseudo-terminal: ``stream`` is the commands' end, ``text()`` what was written to it."""

    def __init__(self):
        self._reader, writer = pty.openpty()
        # 24 rows of 80 columns, as a terminal window has (tqdm draws nothing in a 0-row one).
        fcntl.ioctl(writer, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
        self.stream = open(writer, "w", encoding="utf-8")  # noqa: SIM115 (closed by close())

    def text(self) -> str:
        self.stream.flush()
        data = b""
        while select.select([self._reader], [], [], 0.2)[0]:
            chunk = os.read(self._reader, 65536)
            if not chunk:
                break
            data += chunk
        return data.decode("utf-8", errors="replace")

    def close(self):
        self.stream.close()
        os.close(self._reader)


@pytest.fixture
def terminal():
    opened = Terminal()
    assert opened.stream.isatty()
    yield opened
    opened.close()


@pytest.fixture
def three_claims(editor, source):
    return [
        services.claim_create(
            actor=editor,
            text=f"Claim number {n}",
            claimant="Someone",
            appearances=[services.AppearanceInput(source, "quoted")],
        )
        for n in range(3)
    ]


def test_export_to_a_file_shows_a_bar_on_the_terminal(
    three_claims, terminal, tmp_path, monkeypatch
):
    monkeypatch.setattr(sys, "stderr", terminal.stream)
    path = tmp_path / "out.csv"
    call_command("export_verdicts", format="csv", output=str(path), stderr=terminal.stream)
    shown = terminal.text()
    assert BAR in shown
    assert "0/3" in shown  # the total is known before the first claim is read
    assert "Wrote csv for the 3 selected claims" in shown
    assert BAR not in path.read_text(encoding="utf-8")


def test_export_piped_to_another_program_keeps_its_output_clean(
    three_claims, terminal, monkeypatch
):
    # `export_verdicts | gzip` in a terminal: the bar goes to the terminal, only CSV down the pipe.
    monkeypatch.setattr(sys, "stderr", terminal.stream)
    piped = io.StringIO()
    call_command("export_verdicts", format="csv", stdout=piped)
    assert BAR in terminal.text()
    lines = piped.getvalue().splitlines()
    assert lines[0].startswith('\ufeff"id","text","claimant"')
    assert len(lines) == 4
    assert BAR not in piped.getvalue()


def test_export_onto_the_terminal_itself_has_no_bar(three_claims, terminal, monkeypatch):
    # The CSV is on the screen: a bar would be drawn through it.
    monkeypatch.setattr(sys, "stderr", terminal.stream)
    call_command("export_verdicts", format="csv", stdout=terminal.stream)
    shown = terminal.text()
    assert "Claim number 2" in shown
    assert BAR not in shown


def test_export_with_its_messages_piped_is_quiet(three_claims, tmp_path, monkeypatch):
    # Cron, CI or `2> log`: nobody is watching, no bar.
    messages = io.StringIO()
    monkeypatch.setattr(sys, "stderr", messages)
    path = tmp_path / "out.json"
    call_command("export_verdicts", format="json", output=str(path), stderr=messages)
    assert BAR not in messages.getvalue()
    assert "\r" not in messages.getvalue()
    assert messages.getvalue().startswith("Wrote json for the 3 selected claims")


def _exported_csv(tmp_path):
    """The desk's claims as CSV, their texts changed so that importing them adds new claims."""
    path = tmp_path / "claims.csv"
    call_command("export_verdicts", format="csv", output=str(path), stderr=io.StringIO())
    path.write_text(
        path.read_text(encoding="utf-8").replace("Claim number", "Imported claim"),
        encoding="utf-8",
    )
    return path


def test_import_shows_a_bar_on_the_terminal(three_claims, editor, terminal, tmp_path, monkeypatch):
    path = _exported_csv(tmp_path)
    monkeypatch.setattr(sys, "stderr", terminal.stream)
    out = io.StringIO()
    call_command("import_claims", str(path), actor=editor.username, stdout=out)
    shown = terminal.text()
    assert BAR in shown
    assert "Checking: 0 claims" in shown  # the check pass: a count, its total unknown yet
    assert "Importing:" in shown
    assert "0/3" in shown
    assert out.getvalue().startswith("Imported 3 claims")


def test_import_with_its_messages_piped_is_quiet(three_claims, editor, tmp_path, monkeypatch):
    path = _exported_csv(tmp_path)
    messages = io.StringIO()
    monkeypatch.setattr(sys, "stderr", messages)
    out = io.StringIO()
    call_command("import_claims", str(path), actor=editor.username, stdout=out, stderr=messages)
    assert messages.getvalue() == ""
    assert out.getvalue().startswith("Imported 3 claims")
