"""Proofs that a claim's history is in a signed checkpoint: built from tiles and one run of
leaves, equal to the RFC's proof over the whole log, and checked with the public key alone."""

import json
from io import StringIO

import pytest
from django.core.management import call_command

from claims import services
from claims.audit import checkpoints, merkle
from claims.audit.proofcheck import check as check_proof
from claims.audit.proofs import LogTree, VerdictProofs
from claims.audit.signing import new_private_key_text, private_key_from
from claims.models import AuditEvent, AuditTile, Claim, Stance
from tests.factories import SourceFactory

from .conftest import KEY

pytestmark = pytest.mark.django_db


@pytest.fixture
def small_tiles(monkeypatch):
    """Tiles of four leaves, so a test's few hundred events span many of them."""
    from claims.audit import proofs

    monkeypatch.setattr(AuditTile, "TILE_LEAVES", 4)
    monkeypatch.setattr(checkpoints, "TILE", 4)
    monkeypatch.setattr(proofs, "TILE", 4)


def many_events(editor, claims: int = 7, links: int = 3) -> list[Claim]:
    made = []
    for number in range(claims):
        claim = services.claim_create(
            actor=editor,
            text=f"Claim {number}",
            claimant="Someone",
            appearances=[services.AppearanceInput(SourceFactory(), "q")],
        )
        for link in range(links):
            services.evidence_add(
                actor=editor,
                claim=claim,
                stance=Stance.SUPPORTS,
                url=f"https://e.example/{number}/{link}",
            )
        made.append(claim)
    return made


def all_leaves() -> list[bytes]:
    return [leaf for _position, leaf in checkpoints.leaves()]


def test_tiles_and_runs_give_the_rfcs_proofs_for_every_leaf(signing, small_tiles, editor):
    many_events(editor, claims=5)
    checkpoints.make_checkpoint()
    many_events(editor, claims=2)  # a second checkpoint resumes mid-run
    checkpoint = checkpoints.make_checkpoint()
    tiles = {t.index: t.hash for t in AuditTile.objects.all()}
    leaves = all_leaves()
    assert len(tiles) == len(leaves) // 4
    assert all(tiles[i] == merkle.root(leaves[4 * i : 4 * i + 4]).hex() for i in tiles)

    tree = LogTree(checkpoint.tree_size)
    root = bytes.fromhex(checkpoint.root_hash)
    assert tree.hash(0, tree.size) == root == merkle.root(leaves)
    for index in range(tree.size):
        assert tree.inclusion_proof(index) == merkle.inclusion_proof(leaves, index)


def test_each_claims_proof_checks_out_with_the_public_key_alone(signing, editor):
    made = many_events(editor)
    checkpoints.make_checkpoint()
    proofs = VerdictProofs().for_claims([claim.pk for claim in made])
    public = private_key_from(KEY).public_key()
    for claim in made:
        proof = json.loads(json.dumps(proofs[claim.pk]))  # as a reader gets it
        claim.refresh_from_db()
        assert proof["event_hash"] == claim.audit_head
        assert check_proof(proof, public) == []

    forged = {**proofs[made[0].pk], "event_hash": "0" * 64}
    assert check_proof(forged, public) == [
        "the event is not in the signed tree at the place the proof gives"
    ]
    stranger = private_key_from(new_private_key_text()).public_key()
    assert check_proof(proofs[made[0].pk], stranger) == [
        "the checkpoint's signature does not hold for this key"
    ]


def test_a_claim_changed_since_the_checkpoint_has_no_proof_yet(signing, editor):
    [claim] = many_events(editor, claims=1)
    checkpoints.make_checkpoint()
    services.evidence_add(
        actor=editor, claim=claim, stance=Stance.CONTRADICTS, url="https://late.example/"
    )
    proof = VerdictProofs().for_claims([claim.pk])[claim.pk]
    assert proof["included"] is False
    assert proof["reason"] == "not yet in a signed checkpoint"
    assert check_proof(proof, private_key_from(KEY).public_key()) == [
        "not yet in a signed checkpoint"
    ]
    assert AuditEvent.objects.filter(claim_id=claim.pk).count() == 5


def test_the_json_export_carries_each_claims_proof(signing, editor, tmp_path):
    made = many_events(editor, claims=2)
    checkpoints.make_checkpoint()
    path = tmp_path / "verdicts.json"
    call_command("export_verdicts", format="json", output=str(path), stderr=StringIO())
    exported = json.loads(path.read_text())
    public = private_key_from(KEY).public_key()
    assert {row["id"] for row in exported} == {claim.pk for claim in made}
    for row in exported:
        assert row["audit_proof"]["included"] is True
        assert check_proof(row["audit_proof"], public) == []


def test_the_stand_alone_script_checks_an_export_with_the_public_key_only(
    signing, editor, tmp_path
):
    """The script runs outside the project (no Django, no database): copied with merkle.py
    into an empty folder and run by another Python process."""
    import shutil
    import subprocess
    import sys
    from pathlib import Path

    from claims.audit import proofcheck
    from claims.audit.signing import public_key_text

    made = many_events(editor, claims=2)
    checkpoints.make_checkpoint()
    export = tmp_path / "verdicts.json"
    call_command("export_verdicts", format="json", output=str(export), stderr=StringIO())
    alone = tmp_path / "alone"
    alone.mkdir()
    for module in (proofcheck, merkle):
        shutil.copy(Path(module.__file__), alone)
    key = public_key_text(private_key_from(KEY).public_key())

    def run(path):
        return subprocess.run(
            [sys.executable, "-E", str(alone / "proofcheck.py"), str(path), key],
            capture_output=True,
            text=True,
            cwd=alone,
            env={"PATH": "/usr/bin:/bin"},
            check=False,
        )

    passed = run(export)
    assert passed.returncode == 0, passed.stderr
    assert passed.stdout.count("history included in the signed log") == len(made)

    tampered = json.loads(export.read_text())
    tampered[0]["history"][-1]["hash"] = "f" * 64
    export.write_text(json.dumps(tampered))
    failed = run(export)
    assert failed.returncode == 1
    assert "the proof is for another event than the history's last" in failed.stdout


def test_verify_verdict_confirms_an_export_and_names_what_fails(signing, editor, tmp_path):
    from django.core.management.base import CommandError

    from claims.audit.signing import public_key_text

    made = many_events(editor, claims=2)
    checkpoints.make_checkpoint()
    export = tmp_path / "verdicts.json"
    call_command("export_verdicts", format="json", output=str(export), stderr=StringIO())
    key = public_key_text(private_key_from(KEY).public_key())
    out = StringIO()
    call_command("verify_verdict", str(export), "--public-key", key, stdout=out)
    assert out.getvalue().count("is in the log of") == len(made)

    services.evidence_add(
        actor=editor, claim=made[0], stance=Stance.CONTRADICTS, url="https://late.example/"
    )
    later = tmp_path / "later.json"
    call_command("export_verdicts", format="json", output=str(later), stderr=StringIO())
    out = StringIO()
    with pytest.raises(CommandError, match="1 of 2 verdicts not proved"):
        call_command("verify_verdict", str(later), stdout=out)
    assert f"NOT PROVED claim {made[0].pk}: not yet in a signed checkpoint" in out.getvalue()


def test_the_printable_report_gives_each_claims_proof(signing, editor, tmp_path):
    made = many_events(editor, claims=2)
    checkpoints.make_checkpoint()
    services.evidence_add(
        actor=editor, claim=made[1], stance=Stance.CONTRADICTS, url="https://late.example/"
    )
    path = tmp_path / "report.html"
    call_command("export_verdicts", format="html", output=str(path), stderr=StringIO())
    html = path.read_text()
    made[0].refresh_from_db()
    assert made[0].audit_head in html
    path = VerdictProofs().for_claims([made[0].pk])[made[0].pk]["inclusion_proof"]
    assert all(node in html for node in path)
    assert f"/verify/{made[0].pk}/" in html
    assert html.count("is not in a signed checkpoint yet") == 1


def test_a_batch_of_proofs_reads_its_runs_of_leaves_in_one_query(
    signing, small_tiles, editor, django_assert_max_num_queries
):
    """An export asks for 500 claims' proofs at a time: their heads and the runs of leaves
    their paths cross are read once for the batch (runs close together in one query), not
    once a claim."""
    made = many_events(editor, claims=12)
    checkpoints.make_checkpoint()
    proofs = VerdictProofs()  # the checkpoint and the tiles
    with django_assert_max_num_queries(2):  # the heads, then every run the batch needs
        proven = proofs.for_claims([claim.pk for claim in made])
    assert all(proof["included"] for proof in proven.values())
