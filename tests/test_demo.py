"""The demo repository is worked the way the office works: branches, staff commits, Kasubbag merges."""
from conftest import git


def test_history_has_branches_and_kasubbag_merges(demo_repo):
    merges = git(demo_repo, "log", "--merges", "--format=%an|%ae|%cn|%s").splitlines()
    assert len(merges) > 40
    for line in merges:
        author, email, committer, subject = line.split("|")
        assert author.startswith("Rahmadi") and email.endswith("users.noreply.github.com")
        assert committer == "GitHub" and subject.startswith("Merge pull request #")
    direct = git(demo_repo, "log", "--first-parent", "--no-merges", "--format=%s").splitlines()
    assert direct == ["Siapkan repositori pengaduan: SOP No. 4 Tahun 2022 dan konfigurasi kantor"]
    staff = git(demo_repo, "log", "--no-merges", "--format=%ae", "--grep", "langkah 2 ").splitlines()
    assert staff and all(e.split("@")[0] in ("nurul", "yosua") for e in staff)


def test_some_complaints_are_open(demo_repo):
    open_branches = git(demo_repo, "branch", "--format=%(refname:short)").split()
    assert "main" in open_branches
    steps = [int(l.split(":")[1]) for p in (demo_repo / "records").rglob("*.yaml")
             for l in p.read_text("utf-8").splitlines() if l.startswith("langkah:")]
    assert 8 in steps and any(s < 8 for s in steps)
