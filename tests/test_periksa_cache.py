"""`pengaduan periksa` with its cache and `--berubah`: the same findings as the plain check, on real repositories."""
from pathlib import Path

from pengaduan.periksa import changed_on_branch, check
from pengaduan.core.records import check_repository, load_record_file

from conftest import git
from test_periksa import replace_line

STAFF = ("Nurul Hidayah, S.Kom.", "nurul@pulangpisau.kpu.example")


def records(repo: Path) -> list[Path]:
    return sorted(p for p in (repo / "records").rglob("*.yaml") if p.parent.parent.parent.name == "records")


def same(repo: Path) -> list:
    """The cached check, run twice (filling, then reading the cache), against the plain reference check."""
    reference = sorted(map(repr, check_repository(repo)))
    assert sorted(map(repr, check(repo))) == reference
    assert sorted(map(repr, check(repo))) == reference
    return reference


def test_cached_periksa_matches_the_plain_check_as_files_change(demo_repo):
    assert same(demo_repo) == []
    assert (demo_repo / ".git" / "pengaduan" / "periksa.cache").is_file()
    first, second, third = records(demo_repo)[:3]
    agenda = next(line for line in first.read_text("utf-8").splitlines() if line.startswith("  nomor_agenda:"))
    replace_line(second, "  nomor_agenda:", agenda)
    replace_line(third, "langkah:", "langkah: dua")
    (demo_repo / "records" / "2026" / "catatan.txt").write_text("x", "utf-8")
    found = same(demo_repo)
    assert any("rekaman-ganda-agenda" in f for f in found) and any("skema-jenis" in f for f in found)
    with_attachment = next(p for p in records(demo_repo) if "lampiran:" in p.read_text("utf-8"))
    attachment = next(p for p in with_attachment.with_suffix("").iterdir())
    attachment.unlink()  # the record's bytes are unchanged, so only a fresh look at the folder finds this
    assert any("rekaman-lampiran" in f and attachment.name in f for f in same(demo_repo))


def test_configuration_change_invalidates_the_cache(demo_repo):
    assert same(demo_repo) == []
    office = demo_repo / "tools" / "config" / "kantor.yaml"
    text = office.read_text("utf-8")
    category = next(p for p in records(demo_repo) if "kategori: lainnya" in p.read_text("utf-8"))
    office.write_text(text.replace("id: lainnya", "id: lain-lain"), "utf-8")
    found = same(demo_repo)
    assert any("rekaman-daftar" in f and category.name in f for f in found)


def test_berubah_checks_only_what_the_branch_changed(demo_repo, run):
    old, other, changed = records(demo_repo)[:3]
    replace_line(other, "kategori:", "kategori: hoaks")  # a problem on main, outside this branch's work
    git(demo_repo, "commit", "-qam", "rusak di main", who=STAFF)
    git(demo_repo, "switch", "-q", "-c", "kerja")
    agenda = next(line for line in old.read_text("utf-8").splitlines() if line.startswith("  nomor_agenda:"))
    new = old.with_name("PGD-2026-09999.yaml")
    new.write_text(old.read_text("utf-8").replace(old.stem, new.stem), "utf-8")  # untracked, copies a number
    replace_line(changed, "perihal:", "perihal: Nama: tidak terdaftar")  # uncommitted
    rels = changed_on_branch(demo_repo)
    assert rels == sorted(p.relative_to(demo_repo).as_posix() for p in (new, changed))
    result = run("--repo", demo_repo, "periksa", "--berubah")
    assert result.exit_code == 1
    assert "Memeriksa 2 rekaman" in result.output and "yaml-sintaks" not in result.output
    assert f"{new.name}:8:17: GALAT: Nomor agenda {agenda.split()[-1]} (tahun" in result.output
    assert other.name not in result.output and f"{changed.relative_to(demo_repo).as_posix()}:" in result.output
    git(demo_repo, "checkout", "-q", "--", ".")
    new.unlink()
    clean = run("--repo", demo_repo, "periksa", "--berubah")
    assert clean.exit_code == 0 and "Memeriksa 0 rekaman" in clean.output
    missing = run("--repo", demo_repo, "periksa", "--berubah", "--dasar", "tidak-ada")
    assert missing.exit_code == 1 and "--dasar" in missing.output


def test_records_shared_out_over_processes_give_the_same_findings(demo_repo):
    """Cold runs share the records out to forked processes; their findings come back complete and in order."""
    first, second, third, fourth = records(demo_repo)[:4]
    agenda = next(line for line in first.read_text("utf-8").splitlines() if line.startswith("  nomor_agenda:"))
    replace_line(second, "  nomor_agenda:", agenda)
    replace_line(third, "langkah:", "langkah: dua")
    replace_line(fourth, "perihal:", r'perihal: "\x49SI: perihal"')
    reference = sorted(map(repr, check_repository(demo_repo)))
    assert len(reference) >= 4
    for path in records(demo_repo):  # the compiled schema's quick "valid" changes no report
        rel = path.relative_to(demo_repo).as_posix()
        assert load_record_file(demo_repo, rel, many=True) == load_record_file(demo_repo, rel)
    cache = demo_repo / ".git" / "pengaduan" / "periksa.cache"
    for processes in (2, 3, 41):
        cache.unlink(missing_ok=True)
        assert sorted(map(repr, check(demo_repo, processes=processes))) == reference, processes
        assert sorted(map(repr, check(demo_repo, processes=processes))) == reference  # from the cache
