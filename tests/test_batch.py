"""`transqa batch`: mirror tree, manifest and resume, audit log and undo, errors, links, runners."""

from __future__ import annotations

import fcntl
import json
import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from transqa import batch
from transqa.batch import BatchOptions, FileEvent, run_batch
from transqa.cli import main
from transqa.config import Config
from transqa.errors import ConfigError
from transqa.textio import sha256

from .conftest import CORPORA

SEED = CORPORA / "seed" / "kazakhstan.mt.en.txt"
GOLD = CORPORA / "seed" / "kazakhstan.gold.en.txt"
FR = Config(source_lang="fr")
STATE = ".transqa"


def make_tree(root: Path, outside: Path) -> Path:
    """A small archive with every case the walker and writer must get right.

    Basenames are unique so ``transqa undo --output DIR`` (which keeps only the name) can be
    checked against the originals.
    """
    seed = SEED.read_bytes()
    files = {
        "2019/story.txt": seed,
        "2019/clean.txt": GOLD.read_bytes(),
        "2020/deep/crlf.txt": seed.replace(b"\n", b"\r\n"),
        "2020/bom.md": b"\xef\xbb\xbf" + seed,
        "2020/notes.csv": b"a,b\n",  # not matched by the default globs
        "bad/latin1.txt": "Caf\u00e9 d\u2019\u00e9t\u00e9\n".encode("latin-1", "replace"),
        "bad/binary.txt": b"\x89PNG\r\n\x1a\n\x00\x00",
        ".hidden/secret.txt": seed,
        "2021/.draft.txt": seed,
    }
    for rel, data in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    outside.mkdir(parents=True, exist_ok=True)
    (outside / "elsewhere.txt").write_bytes(seed)
    os.symlink(outside / "elsewhere.txt", root / "2021-link-out.txt")
    os.symlink(outside, root / "linked-dir")
    os.symlink(root / "2019" / "story.txt", root / "2019" / "alias.txt")
    return root


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    return make_tree(tmp_path / "archive", tmp_path / "outside")


def snapshot(root: Path) -> dict[str, str]:
    """Relative path → SHA-256 of every regular file (links and .transqa/ left out)."""
    found = {}
    for path in sorted(root.rglob("*")):
        rel = path.relative_to(root).as_posix()
        if path.is_symlink() or not path.is_file() or rel.startswith(STATE):
            continue
        found[rel] = sha256(path.read_bytes())
    return found


def manifest(out: Path) -> dict[str, dict[str, object]]:
    return batch.load_manifest(out / STATE / "manifest.jsonl")


PROCESSED = {"2019/story.txt", "2019/clean.txt", "2020/deep/crlf.txt", "2020/bom.md",
             "bad/latin1.txt", "bad/binary.txt"}


def test_walk_skips_hidden_links_and_unmatched(tree: Path) -> None:
    files, links = batch.walk(tree)
    assert set(files) == PROCESSED
    assert links == 3  # link to a file outside, link to a folder outside, link inside the tree


def test_mirror_manifest_and_errors(tree: Path, tmp_path: Path) -> None:
    before = snapshot(tree)
    out = tmp_path / "out"
    summary = run_batch(BatchOptions(tree, out, FR))
    assert snapshot(tree) == before  # originals untouched
    entries = manifest(out)
    assert set(entries) == PROCESSED
    assert {k: v["status"] for k, v in entries.items()} == {
        "2019/story.txt": "ok", "2020/deep/crlf.txt": "ok", "2020/bom.md": "ok",
        "2019/clean.txt": "unchanged", "bad/latin1.txt": "error", "bad/binary.txt": "error",
    }
    assert "not valid UTF-8" in str(entries["bad/latin1.txt"]["error"])
    assert "binary" in str(entries["bad/binary.txt"]["error"])
    story = entries["2019/story.txt"]
    assert story["input_sha256"] == sha256(SEED.read_bytes())
    assert story["output_sha256"] == sha256((out / "2019/story.txt").read_bytes())
    assert story["signature"] == summary.signature and "rules:" in summary.signature
    assert int(str(story["fixes"])) > 0
    # The mirror is complete: changed files fixed, unchanged ones copied, errors left out.
    assert set(snapshot(out)) == PROCESSED - {"bad/latin1.txt", "bad/binary.txt"}
    assert (out / "2019/clean.txt").read_bytes() == GOLD.read_bytes()
    assert (out / "2019/story.txt").read_bytes() != SEED.read_bytes()
    assert not (out / "2021-link-out.txt").exists() and not (out / "linked-dir").exists()
    assert (summary.changed, summary.unchanged, summary.errors, summary.ignored_links) == (3, 1, 2, 3)
    assert summary.fixes == sum(summary.rules.values()) == sum(
        int(str(e["fixes"])) for e in entries.values())
    written = json.loads((out / STATE / "summary.json").read_text(encoding="utf-8"))
    assert written["changed"] == 3 and written["rules"] == summary.rules
    assert [e["path"] for e in written["error_files"]] == ["bad/binary.txt", "bad/latin1.txt"]


def test_crlf_and_bom_survive_byte_exact(tree: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    run_batch(BatchOptions(tree, out, FR))
    fixed_lf = (out / "2019/story.txt").read_bytes()
    crlf = (out / "2020/deep/crlf.txt").read_bytes()
    bom = (out / "2020/bom.md").read_bytes()
    assert crlf == fixed_lf.replace(b"\n", b"\r\n")
    assert bom == b"\xef\xbb\xbf" + fixed_lf


def test_audit_log_undo_restores_every_original(tree: Path, tmp_path: Path) -> None:
    """End to end through the CLI: batch, then `transqa undo` on the rolled-up log."""
    out, restore = tmp_path / "out", tmp_path / "restore"
    runner = CliRunner()
    result = runner.invoke(main, ["batch", str(tree), "--output", str(out), "--source-lang", "fr",
                                  "--jobs", "1"])
    assert result.exit_code == 3, result.output  # the two bad files
    log = out / STATE / "fixes.jsonl"
    records = [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()]
    assert {Path(r["output"]) for r in records} == {
        (out / rel).resolve() for rel in ("2019/story.txt", "2020/deep/crlf.txt", "2020/bom.md")}
    assert set(records[0]) >= {"path", "output", "rule", "before", "after", "input_sha256",
                               "output_sha256", "signature", "bom"}

    undo = runner.invoke(main, ["undo", str(log), "--output", str(restore)])
    assert undo.exit_code == 0, undo.output
    for rel in ("2019/story.txt", "2020/deep/crlf.txt", "2020/bom.md"):
        assert (restore / rel).read_bytes() == (tree / rel).read_bytes(), rel  # tree kept

    # The whole mirror back to the archive, byte for byte: undo in place over the mirror.
    undo = runner.invoke(main, ["undo", str(log), "--in-place"])
    assert undo.exit_code == 0, undo.output
    originals = snapshot(tree)
    assert snapshot(out) == {k: originals[k] for k in PROCESSED - {"bad/latin1.txt", "bad/binary.txt"}}


def test_resume_after_a_limit_then_rerun_skips_everything(tree: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    first = run_batch(BatchOptions(tree, out, FR, limit=2))
    assert first.processed == 2 and len(manifest(out)) == 2
    done = set(manifest(out))
    events: list[FileEvent] = []
    second = run_batch(BatchOptions(tree, out, FR), report=events.append)
    assert second.skipped == 2 and second.processed == len(PROCESSED) - 2
    assert {e.relative for e in events if e.skipped} == done
    third = run_batch(BatchOptions(tree, out, FR))
    # Error files are retried (they may have been transient); everything else is skipped.
    assert third.skipped == len(PROCESSED) - 2 and third.processed == 2
    assert (third.changed, third.unchanged, third.errors) == (3, 1, 2)
    # Same result as one uninterrupted run.
    fresh = tmp_path / "fresh"
    run_batch(BatchOptions(tree, fresh, FR))
    assert snapshot(out) == snapshot(fresh)
    assert len((out / STATE / "fixes.jsonl").read_text().splitlines()) == \
        len((fresh / STATE / "fixes.jsonl").read_text().splitlines())


def test_resume_after_a_crash_mid_run(tree: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    seen: list[str] = []

    def crash_after_three(event: FileEvent) -> None:
        seen.append(event.relative)
        if len(seen) == 3:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        run_batch(BatchOptions(tree, out, FR), report=crash_after_three)
    assert set(manifest(out)) == set(seen)
    summary = json.loads((out / STATE / "summary.json").read_text(encoding="utf-8"))
    assert summary["interrupted"] is True
    # A torn line from a hard kill is tolerated.
    with open(out / STATE / "manifest.jsonl", "a", encoding="utf-8") as handle:
        handle.write('{"path": "2019/sto')
    resumed = run_batch(BatchOptions(tree, out, FR))
    good = {rel for rel in seen if manifest(out)[rel]["status"] != "error"}
    assert resumed.skipped == len(good)
    assert resumed.processed == len(PROCESSED) - len(good)
    assert resumed.interrupted is False


def test_changed_input_signature_or_mirror_is_redone(tree: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    run_batch(BatchOptions(tree, out, FR))
    (tree / "2019/clean.txt").write_bytes(GOLD.read_bytes() + b"Another paragraph.\n")
    (out / "2020/bom.md").write_bytes(b"tampered")
    again = run_batch(BatchOptions(tree, out, FR))
    redone = {"2019/clean.txt", "2020/bom.md", "bad/latin1.txt", "bad/binary.txt"}
    assert again.processed == len(redone) and again.skipped == len(PROCESSED) - len(redone)
    assert (out / "2019/clean.txt").read_bytes().endswith(b"Another paragraph.\n")
    assert (out / "2020/bom.md").read_bytes().startswith(b"\xef\xbb\xbf")
    unsafe = run_batch(BatchOptions(tree, out, FR, unsafe=True))
    assert unsafe.skipped == 0 and "apply:unsafe" in unsafe.signature
    assert run_batch(BatchOptions(tree, out, FR, unsafe=True, resume=False)).skipped == 0


def test_include_exclude(tree: Path, tmp_path: Path) -> None:
    files, _ = batch.walk(tree, include=("*.md", "*.CSV"), exclude=())
    assert set(files) == {"2020/bom.md", "2020/notes.csv"}
    files, _ = batch.walk(tree, exclude=("bad", "2020/deep/*"))
    assert set(files) == {"2019/story.txt", "2019/clean.txt", "2020/bom.md"}
    summary = run_batch(BatchOptions(tree, tmp_path / "out", FR, include=("2019/*",)))
    assert summary.files == 2 and summary.errors == 0


def test_output_inside_the_source_is_not_walked(tree: Path) -> None:
    out = tree / "cleaned"
    run_batch(BatchOptions(tree, out, FR))
    again = run_batch(BatchOptions(tree, out, FR))
    assert again.files == len(PROCESSED)  # nothing under cleaned/ was picked up


def test_refuses_to_overwrite_originals(tree: Path, tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="overwrite the originals"):
        run_batch(BatchOptions(tree, tree, FR))
    with pytest.raises(ConfigError, match="contains the source"):
        run_batch(BatchOptions(tree, tree.parent, FR))


def test_one_run_at_a_time(tree: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    (out / STATE).mkdir(parents=True)
    with open(out / STATE / "lock", "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        with pytest.raises(ConfigError, match="another transqa batch"):
            run_batch(BatchOptions(tree, out, FR))


def test_in_place_then_undo(tree: Path, tmp_path: Path) -> None:
    before = snapshot(tree)
    state = tmp_path / "state"
    first = run_batch(BatchOptions(tree, state, FR, in_place=True))
    assert first.changed == 3
    after = snapshot(tree)
    assert after["2019/story.txt"] != before["2019/story.txt"]
    assert after["2019/clean.txt"] == before["2019/clean.txt"]
    assert snapshot(state) == {}  # no mirror: only the .transqa state
    assert run_batch(BatchOptions(tree, state, FR, in_place=True)).skipped == 4
    log = state / STATE / "fixes.jsonl"
    result = CliRunner().invoke(main, ["undo", str(log), "--in-place"])
    assert result.exit_code == 0, result.output
    assert snapshot(tree) == before


def test_in_place_crash_before_the_manifest_line_keeps_the_undo_log(tree: Path, tmp_path: Path) -> None:
    before = snapshot(tree)
    state = tmp_path / "state"
    run_batch(BatchOptions(tree, state, FR, in_place=True))
    (state / STATE / "manifest.jsonl").unlink()  # as if killed before any manifest line landed
    again = run_batch(BatchOptions(tree, state, FR, in_place=True))
    assert again.changed == 3 and again.fixes > 0
    assert CliRunner().invoke(main, ["undo", str(state / STATE / "fixes.jsonl"), "--in-place"]).exit_code == 0
    assert snapshot(tree) == before


def test_process_pool_matches_serial(tree: Path, tmp_path: Path) -> None:
    serial, pooled = tmp_path / "serial", tmp_path / "pooled"
    run_batch(BatchOptions(tree, serial, FR))
    summary = run_batch(BatchOptions(tree, pooled, FR), runner=batch.PoolRunner(2, window=2))
    assert summary.processed == len(PROCESSED)
    assert snapshot(pooled) == snapshot(serial)
    strip = {k: {f: v for f, v in e.items() if f != "path"} for k, e in manifest(serial).items()}
    assert {k: {f: v for f, v in e.items() if f != "path"} for k, e in manifest(pooled).items()} == strip


def test_dask_runs_the_same_function(tree: Path, tmp_path: Path) -> None:
    distributed = pytest.importorskip("distributed")
    serial, dasked = tmp_path / "serial", tmp_path / "dask"
    run_batch(BatchOptions(tree, serial, FR))
    with distributed.Client(processes=False, n_workers=1, threads_per_worker=2,
                            dashboard_address=None) as client:
        summary = run_batch(BatchOptions(tree, dasked, FR), runner=batch.DaskRunner(client, window=2))
    assert summary.processed == len(PROCESSED) and summary.errors == 2
    assert snapshot(dasked) == snapshot(serial)


def test_clean_document_never_raises() -> None:
    task = batch.DocTask("x.txt", "/a/x.txt", "/b/x.txt", b"\xff", FR, batch.Applicability.SAFE)
    result = batch.clean_document(task)
    assert result.status == "error" and result.data is None and "UTF-8" in str(result.error)


def test_cli_summary_and_quiet_when_not_a_terminal(tree: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    shutil.rmtree(tree / "bad")
    result = CliRunner().invoke(main, ["batch", str(tree), "-o", str(out), "--source-lang", "fr",
                                       "--jobs", "2"])
    assert result.exit_code == 0, result.output
    assert result.stderr == ""  # no progress bar off a terminal, no errors
    assert "4 file(s): 3 changed, 1 unchanged, 0 error(s)" in result.stdout
    assert "files/s" in result.stdout and "fr.StrayElision" in result.stdout
    again = CliRunner().invoke(main, ["batch", str(tree), "-o", str(out), "--source-lang", "fr"])
    assert "processed 0 and skipped 4" in again.stdout and again.exit_code == 0
