"""The in-process signature check agrees with the real `git verify-commit` (gpg, ssh-keygen), key by key.

Keys are made here, in a throw-away GNUPGHOME and with ssh-keygen in tmp: OpenPGP RSA (what GitHub's
web-flow key is), OpenPGP Ed25519, SSH Ed25519 and SSH RSA (what a Forgejo instance key can be).
"""
import itertools
import os
import subprocess
from pathlib import Path

import pytest

from pengaduan.core.evidence import KeyProblem, load_openpgp_key, load_ssh_key, sign_ssh, signed_commit, signer
from pengaduan.demo import demo_forge_key
from pengaduan.core.evidence import ssh_public_line

OPENPGP = {"rsa": "rsa2048", "ed": "ed25519"}
SSH = {"ssh-ed": ["-t", "ed25519"], "ssh-rsa": ["-t", "rsa", "-b", "2048"]}


def run(*args, cwd=None, env=None, stdin=None) -> subprocess.CompletedProcess:
    return subprocess.run(args, cwd=cwd, env=env, input=stdin, capture_output=True)


@pytest.fixture(scope="module")
def keys(tmp_path_factory):
    """name -> dict(kind, public (bytes), sign (git -c options), verify (env, git -c options) with only this key)."""
    root = tmp_path_factory.mktemp("kunci")
    home = root / "gnupg"
    home.mkdir(mode=0o700)
    env = dict(os.environ, GNUPGHOME=str(home))
    found = {}
    for name, algorithm in OPENPGP.items():
        uid = f"Forge {name} <{name}@forge.invalid>"
        run("gpg", "--batch", "--passphrase", "", "--quick-gen-key", uid, algorithm, "sign", "never", env=env)
        fingerprint = next(line.split(":")[9] for line in run(
            "gpg", "--with-colons", "--list-keys", uid, env=env).stdout.decode().splitlines() if line.startswith("fpr"))
        public = run("gpg", "--armor", "--export", fingerprint, env=env).stdout
        only = root / f"only-{name}"
        only.mkdir(mode=0o700)
        only_env = dict(os.environ, GNUPGHOME=str(only))
        run("gpg", "--batch", "--import", env=only_env, stdin=public)
        found[name] = {"kind": "openpgp", "public": public, "sign": (env, ["-c", f"user.signingKey={fingerprint}"]),
                       "verify": (only_env, [])}
    for name, options in SSH.items():
        path = root / name
        run("ssh-keygen", "-q", *options, "-N", "", "-C", name, "-f", str(path))
        public = (root / f"{name}.pub").read_bytes()
        allowed = root / f"allowed-{name}"
        allowed.write_bytes(b"* " + public)
        found[name] = {"kind": "ssh", "public": public,
                       "sign": (dict(os.environ), ["-c", "gpg.format=ssh", "-c", f"user.signingKey={path}"]),
                       "verify": (dict(os.environ), ["-c", "gpg.format=ssh",
                                                     "-c", f"gpg.ssh.allowedSignersFile={allowed}"])}
    return found


def load(key) -> object:
    return (load_ssh_key if key["kind"] == "ssh" else load_openpgp_key)(key["public"])


@pytest.fixture(scope="module")
def commits(keys, tmp_path_factory):
    """A repository with one merge-like commit signed by each key, and a tampered copy of each."""
    repo = tmp_path_factory.mktemp("tanda") / "repo"
    run("git", "init", "-q", "-b", "main", str(repo))
    signed = {}
    for index, (name, key) in enumerate(keys.items()):
        env, options = key["sign"]
        env = dict(env, GIT_AUTHOR_NAME="Kasubbag", GIT_AUTHOR_EMAIL="k@kpu.invalid", GIT_COMMITTER_NAME="GitHub",
                   GIT_COMMITTER_EMAIL="noreply@github.com", GIT_AUTHOR_DATE=f"2026-11-0{index + 1}T10:00:00+07:00",
                   GIT_COMMITTER_DATE=f"2026-11-0{index + 1}T10:00:00+07:00")
        result = run("git", *options, "commit", "-q", "--allow-empty", "-S", "-m",
                     f"Merge pull request #{index} from kpu/cabang\n\nPGD-2026-0000{index}: disposisi\n",
                     cwd=repo, env=env)
        assert result.returncode == 0, result.stderr
        sha = run("git", "rev-parse", "HEAD", cwd=repo).stdout.decode().strip()
        raw = run("git", "cat-file", "commit", sha, cwd=repo).stdout
        forged = raw.replace(b"disposisi", b"disposisi palsu").replace(b"Kasubbag", b"Staf Pelaksana")
        forged_sha = run("git", "hash-object", "-t", "commit", "-w", "--stdin", cwd=repo,
                         stdin=forged).stdout.decode().strip()
        signed[name] = (sha, raw, forged_sha, forged)
    return repo, signed


def git_verifies(repo: Path, sha: str, key) -> bool:
    env, options = key["verify"]
    return run("git", *options, "verify-commit", sha, cwd=repo, env=env).returncode == 0


@pytest.mark.parametrize("signed_by,checked_with", [
    pair for pair in itertools.product([*OPENPGP, *SSH], repeat=2)])
def test_same_verdict_as_git_verify_commit(keys, commits, signed_by, checked_with):
    repo, signed = commits
    sha, raw, forged_sha, forged = signed[signed_by]
    key = keys[checked_with]
    ours = signer(raw, [load(key)]) != ""
    if keys[signed_by]["kind"] == key["kind"]:
        assert ours == git_verifies(repo, sha, key)
    assert ours == (signed_by == checked_with)
    # A payload edited after signing (message, author) fails both ways.
    assert signer(forged, [load(key)]) == ""
    if keys[signed_by]["kind"] == key["kind"]:
        assert not git_verifies(repo, forged_sha, key)


def test_signer_names_the_key_among_several(keys, commits):
    _, signed = commits
    loaded = [load(k) for k in keys.values()]
    for name, (_, raw, _, _) in signed.items():
        assert signer(raw, loaded) == load(keys[name]).ident


def test_unsigned_and_garbled_signatures_are_no_evidence(keys, commits):
    repo, signed = commits
    loaded = [load(k) for k in keys.values()]
    _, raw, _, _ = signed["rsa"]
    unsigned = raw.split(b"gpgsig ")[0] + raw[raw.index(b"\n\n") + 1:]
    assert signer(unsigned, loaded) == ""
    garbled = raw.replace(b"\n -----END PGP SIGNATURE-----", b"AAAA\n -----END PGP SIGNATURE-----")
    assert signer(garbled, loaded) == ""
    moved = signed["ssh-ed"][1].replace(b"gpgsig -----BEGIN", b"gpgsig  -----BEGIN")
    assert signer(moved, loaded) == ""


def test_python_ssh_signature_verifies_with_ssh_keygen(tmp_path):
    """What the demo writes (its forge's signatures, made in Python) is what `git verify-commit` accepts."""
    key = demo_forge_key(7)
    repo = tmp_path / "repo"
    run("git", "init", "-q", str(repo))
    body = (b"tree 4b825dc642cb6eb9a060e54bf8d69288fbee4904\nauthor K <k@kpu.invalid> 1795763640 +0700\n"
            b"committer GitHub <noreply@github.com> 1795763640 +0700\n\nMerge pull request #1\n")
    commit = signed_commit(body, sign_ssh(key, body))
    sha = run("git", "hash-object", "-t", "commit", "-w", "--stdin", cwd=repo, stdin=commit).stdout.decode().strip()
    allowed = tmp_path / "allowed"
    allowed.write_text("* " + ssh_public_line(key, "forge"))
    result = run("git", "-c", f"gpg.ssh.allowedSignersFile={allowed}", "verify-commit", sha, cwd=repo)
    assert result.returncode == 0, result.stderr
    assert signer(commit, [load_ssh_key(ssh_public_line(key, "forge").encode())])
    assert not signer(commit, [load_ssh_key(ssh_public_line(demo_forge_key(8), "lain").encode())])


@pytest.mark.parametrize("text", [b"", b"ssh-ed25519", b"ssh-ed25519 bukan-base64", b"ssh-dss AAAAB3NzaC1kc3M="])
def test_unreadable_ssh_keys_are_refused_in_indonesian(text):
    with pytest.raises(KeyProblem, match="kunci SSH"):
        load_ssh_key(text)


def test_unreadable_openpgp_key_is_refused_in_indonesian():
    with pytest.raises(KeyProblem, match="OpenPGP"):
        load_openpgp_key(b"-----BEGIN PGP PUBLIC KEY BLOCK-----\n\nbukan kunci\n-----END PGP PUBLIC KEY BLOCK-----\n")


def test_forge_key_files_are_checked_with_the_configuration(tmp_path):
    from pengaduan.core.config import CONFIG_DIR, check_config, config_files
    from conftest import PROJECT_ROOT
    files = config_files(PROJECT_ROOT)
    office = files["tools/config/kantor.yaml"].decode()
    listed = office.replace("  kunci: []\n", "  kunci:\n    - berkas: kunci/hilang.asc\n      format: openpgp\n"
                            "      berlaku_dari: \"2026-01-01\"\n    - berkas: kunci/rusak.pub\n      format: ssh\n"
                            "      berlaku_dari: \"2026-01-01\"\n")
    files["tools/config/kantor.yaml"] = listed.encode()
    files[(CONFIG_DIR / "kunci/rusak.pub").as_posix()] = b"ssh-ed25519 rusak\n"
    settings, found = check_config(files)
    assert settings is None
    messages = [f.message for f in found if f.code == "kantor-kunci"]
    assert any("kunci/hilang.asc tidak ada" in m for m in messages)
    assert any("rusak.pub: kunci SSH tidak bisa dibaca" in m for m in messages)
    assert all(f.line for f in found if f.code == "kantor-kunci")
