"""Forge signatures on commits, verified in-process: evidence a staff member with push rights cannot make.

The forge signs the merge commits it makes (GitHub with its "web-flow" OpenPGP key,
Forgejo with its instance key, OpenPGP or SSH). Git keeps the signature in the
commit's `gpgsig` header; what is signed is the commit object without that header.
One `git verify-commit` per merge would start tens of thousands of processes, so
the signatures are checked here with `cryptography`: OpenPGP v4 signatures (RSA
PKCS#1 v1.5, EdDSA/Ed25519) and SSH signatures (the `sshsig` format, Ed25519 and
RSA). Tests cross-check every verdict against the real `git verify-commit`.

Which key counts, and when, is configuration (`forge.kunci` in kantor.yaml);
this module only says which key a signature verifies with.
"""
from __future__ import annotations

import base64
import hashlib
import struct
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from cryptography.exceptions import InvalidSignature, UnsupportedAlgorithm
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ed25519, padding, rsa, utils
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from .errors import PengaduanError

_HASHES: dict[int, Callable[[], hashes.HashAlgorithm]] = {
    2: hashes.SHA1, 8: hashes.SHA256, 9: hashes.SHA384, 10: hashes.SHA512, 11: hashes.SHA224}
_HASHLIB = {2: "sha1", 8: "sha256", 9: "sha384", 10: "sha512", 11: "sha224"}
_ED25519_OIDS = {bytes.fromhex("2b06010401da470f01"), bytes.fromhex("2b656e")}  # legacy Ed25519, id-Ed25519


Verifier = rsa.RSAPublicKey | ed25519.Ed25519PublicKey


class KeyProblem(PengaduanError, ValueError):
    """A key file that cannot be used; the message is Indonesian."""


def _reason(error: Exception) -> str:
    """Our own parsing messages are Indonesian; those of base64, struct and cryptography are English."""
    return str(error) if isinstance(error, KeyProblem) else "isinya rusak atau formatnya tidak dikenal"


@dataclass(frozen=True)
class PublicKey:
    """One forge key: `ident` names it (OpenPGP fingerprint or SSH SHA256 fingerprint)."""
    ident: str
    kind: str  # "openpgp" | "ssh"
    keys: tuple[tuple[bytes, Verifier], ...]  # ((OpenPGP key id bytes or SSH key blob, cryptography public key), ...)


# ---------------------------------------------------------------- commit objects

def split_signed_commit(raw: bytes) -> tuple[bytes, bytes]:
    """(signed payload, armored signature) of a raw commit object; signature b"" when unsigned.

    As Git does: the `gpgsig` header and its continuation lines are removed from the
    headers; everything else, the message included, is the payload byte for byte.
    """
    end = raw.find(b"\n\n")
    head, rest = (raw, b"") if end < 0 else (raw[:end + 1], raw[end + 1:])
    payload, signature, in_signature = [], [], False
    for line in head.splitlines(keepends=True):
        if line.startswith(b"gpgsig "):
            in_signature = True
            signature.append(line[7:])
        elif in_signature and line.startswith(b" "):
            signature.append(line[1:])
        else:
            in_signature = False
            payload.append(line)
    return b"".join(payload) + rest, b"".join(signature)


def _dearmor(text: bytes, label: bytes) -> bytes:
    lines = text.strip().splitlines()
    begin = f"-----BEGIN {label.decode()}-----".encode()
    if not lines or lines[0].strip() != begin:
        raise KeyProblem("bukan blok ASCII armor")
    body, headers = [], True
    for line in lines[1:]:
        line = line.strip()
        if line.startswith(b"-----END"):
            break
        if headers:
            if b":" in line and not line.endswith(b"="):
                continue
            headers = False
            if not line:
                continue
        if line.startswith(b"=") and len(line) == 5:  # CRC-24 line
            continue
        body.append(line)
    return base64.b64decode(b"".join(body), validate=True)


# ---------------------------------------------------------------- OpenPGP

def _packets(data: bytes) -> Iterator[tuple[int, bytes]]:
    position = 0
    while position < len(data):
        first = data[position]
        position += 1
        if not first & 0x80:
            raise KeyProblem("paket OpenPGP rusak")
        if first & 0x40:
            tag = first & 0x3F
            octet = data[position]
            if octet < 192:
                length, position = octet, position + 1
            elif octet < 224:
                length, position = ((octet - 192) << 8) + data[position + 1] + 192, position + 2
            elif octet == 255:
                length, position = int.from_bytes(data[position + 1:position + 5], "big"), position + 5
            else:
                raise KeyProblem("panjang paket parsial tidak didukung")
        else:
            tag, kind = (first >> 2) & 0x0F, first & 3
            if kind == 3:
                length = len(data) - position
            else:
                size = 1 << kind
                length, position = int.from_bytes(data[position:position + size], "big"), position + size
        yield tag, data[position:position + length]
        position += length


def _mpi(data: bytes, position: int) -> tuple[bytes, int]:
    bits = int.from_bytes(data[position:position + 2], "big")
    size = (bits + 7) // 8
    return data[position + 2:position + 2 + size], position + 2 + size


def _openpgp_key(body: bytes) -> tuple[bytes, Verifier | None] | None:
    """(key id, cryptography key or None for unsupported algorithms) of a v4 public key packet."""
    if body[0] != 4:
        return None
    fingerprint = hashlib.sha1(b"\x99" + len(body).to_bytes(2, "big") + body).digest()
    algorithm = body[5]
    key: Verifier
    if algorithm in (1, 2, 3):
        modulus, position = _mpi(body, 6)
        exponent, _ = _mpi(body, position)
        key = rsa.RSAPublicNumbers(int.from_bytes(exponent, "big"), int.from_bytes(modulus, "big")).public_key()
    elif algorithm == 22:
        oid = body[7:7 + body[6]]
        point, _ = _mpi(body, 7 + body[6])
        if oid not in _ED25519_OIDS or len(point) != 33 or point[0] != 0x40:
            return fingerprint, None
        key = ed25519.Ed25519PublicKey.from_public_bytes(point[1:])
    elif algorithm == 27:
        key = ed25519.Ed25519PublicKey.from_public_bytes(body[6:38])
    else:
        return fingerprint, None
    return fingerprint, key


def load_openpgp_key(text: bytes) -> PublicKey:
    """An armored (or binary) OpenPGP public key: the primary key and its subkeys."""
    try:
        data = _dearmor(text, b"PGP PUBLIC KEY BLOCK") if text.lstrip().startswith(b"-----") else text
        found = [_openpgp_key(body) for tag, body in _packets(data) if tag in (6, 14)]
    except (ValueError, IndexError, UnsupportedAlgorithm) as error:
        raise KeyProblem(f"kunci OpenPGP tidak bisa dibaca ({_reason(error)})") from None
    keys = [item for item in found if item]
    if not keys:
        raise KeyProblem("tidak ada kunci publik OpenPGP versi 4 di berkas ini")
    usable = tuple((fingerprint[-8:], key) for fingerprint, key in keys if key is not None)
    if not usable:
        raise KeyProblem("algoritme kunci OpenPGP ini tidak didukung (pakai RSA atau Ed25519)")
    return PublicKey(keys[0][0].hex().upper(), "openpgp", usable)


def _subpackets(area: bytes) -> Iterator[tuple[int, bytes]]:
    position = 0
    while position < len(area):
        octet = area[position]
        if octet < 192:
            length, position = octet, position + 1
        elif octet < 255:
            length, position = ((octet - 192) << 8) + area[position + 1] + 192, position + 2
        else:
            length, position = int.from_bytes(area[position + 1:position + 5], "big"), position + 5
        yield area[position] & 0x7F, area[position + 1:position + length]
        position += length


def _verify_openpgp(payload: bytes, armored: bytes, key: PublicKey) -> bool:
    signatures = [body for tag, body in _packets(_dearmor(armored, b"PGP SIGNATURE")) if tag == 2]
    if len(signatures) != 1 or signatures[0][0] != 4:
        return False
    body = signatures[0]
    kind, algorithm, hash_id = body[1], body[2], body[3]
    hashed_length = int.from_bytes(body[4:6], "big")
    hashed_end = 6 + hashed_length
    unhashed_length = int.from_bytes(body[hashed_end:hashed_end + 2], "big")
    rest = hashed_end + 2 + unhashed_length
    if kind not in (0, 1) or hash_id not in _HASHES:
        return False
    issuers = set()
    for area in (body[6:hashed_end], body[hashed_end + 2:rest]):
        for subtype, value in _subpackets(area):
            if subtype == 16:
                issuers.add(value)
            elif subtype == 33 and value[:1] == b"\x04":
                issuers.add(value[-8:])
    message = payload.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n") if kind == 1 else payload
    digest = hashlib.new(_HASHLIB[hash_id], message + body[:hashed_end] + b"\x04\xff"
                         + hashed_end.to_bytes(4, "big")).digest()
    if digest[:2] != body[rest:rest + 2]:
        return False
    for key_id, public in key.keys:
        if issuers and key_id not in issuers:
            continue
        try:
            if isinstance(public, rsa.RSAPublicKey) and algorithm in (1, 3):
                value, _ = _mpi(body, rest + 2)
                size = (public.key_size + 7) // 8
                public.verify(value.rjust(size, b"\0"), digest, padding.PKCS1v15(),
                              utils.Prehashed(_HASHES[hash_id]()))
                return True
            if isinstance(public, ed25519.Ed25519PublicKey) and algorithm in (22, 27):
                if algorithm == 22:
                    r, position = _mpi(body, rest + 2)
                    s, _ = _mpi(body, position)
                    raw = r.rjust(32, b"\0") + s.rjust(32, b"\0")
                else:
                    raw = body[rest + 2:rest + 66]
                public.verify(raw, digest)
                return True
        except InvalidSignature:
            continue
    return False


# ---------------------------------------------------------------- SSH

def _ssh_string(data: bytes, position: int) -> tuple[bytes, int]:
    size = struct.unpack(">I", data[position:position + 4])[0]
    end = position + 4 + size
    if end > len(data):
        raise KeyProblem("string SSH terpotong")
    return data[position + 4:end], end


def ssh_string(value: bytes) -> bytes:
    return struct.pack(">I", len(value)) + value


def _ssh_public(blob: bytes) -> Verifier:
    kind, position = _ssh_string(blob, 0)
    if kind == b"ssh-ed25519":
        raw, _ = _ssh_string(blob, position)
        return ed25519.Ed25519PublicKey.from_public_bytes(raw)
    if kind == b"ssh-rsa":
        exponent, position = _ssh_string(blob, position)
        modulus, _ = _ssh_string(blob, position)
        return rsa.RSAPublicNumbers(int.from_bytes(exponent, "big"), int.from_bytes(modulus, "big")).public_key()
    raise KeyProblem(f"jenis kunci SSH {kind.decode(errors='replace')} tidak didukung (pakai ssh-ed25519 atau ssh-rsa)")


def load_ssh_key(text: bytes) -> PublicKey:
    """An SSH public key line (`ssh-ed25519 AAAA... komentar`)."""
    try:
        fields = text.strip().split()
        blob = base64.b64decode(fields[1], validate=True)
        public = _ssh_public(blob)
        if _ssh_string(blob, 0)[0] != fields[0]:
            raise KeyProblem("jenis kunci tidak cocok dengan isinya")
    except (ValueError, IndexError, struct.error, UnsupportedAlgorithm) as error:
        raise KeyProblem(f"kunci SSH tidak bisa dibaca ({_reason(error)})") from None
    ident = "SHA256:" + base64.b64encode(hashlib.sha256(blob).digest()).decode().rstrip("=")
    return PublicKey(ident, "ssh", ((blob, public),))


def _verify_ssh(payload: bytes, armored: bytes, key: PublicKey) -> bool:
    blob = _dearmor(armored, b"SSH SIGNATURE")
    if blob[:6] != b"SSHSIG" or struct.unpack(">I", blob[6:10])[0] != 1:
        return False
    public_blob, position = _ssh_string(blob, 10)
    namespace, position = _ssh_string(blob, position)
    reserved, position = _ssh_string(blob, position)
    hash_name, position = _ssh_string(blob, position)
    signature, _ = _ssh_string(blob, position)
    if namespace != b"git" or hash_name not in (b"sha256", b"sha512"):
        return False
    matching = [public for known, public in key.keys if known == public_blob]
    if not matching:
        return False
    signed = (b"SSHSIG" + ssh_string(namespace) + ssh_string(reserved) + ssh_string(hash_name)
              + ssh_string(hashlib.new(hash_name.decode(), payload).digest()))
    algorithm, position = _ssh_string(signature, 0)
    raw, _ = _ssh_string(signature, position)
    public = matching[0]
    try:
        if isinstance(public, ed25519.Ed25519PublicKey) and algorithm == b"ssh-ed25519":
            public.verify(raw, signed)
            return True
        rsa_hash = {b"rsa-sha2-256": hashes.SHA256, b"rsa-sha2-512": hashes.SHA512}.get(algorithm)
        if isinstance(public, rsa.RSAPublicKey) and rsa_hash:
            public.verify(raw.rjust((public.key_size + 7) // 8, b"\0"), signed, padding.PKCS1v15(), rsa_hash())
            return True
    except InvalidSignature:
        pass
    return False


def sign_ssh(private: ed25519.Ed25519PrivateKey, payload: bytes) -> bytes:
    """An armored SSH signature of `payload` in Git's namespace, as `ssh-keygen -Y sign -n git` writes it."""
    public_blob = ssh_public_blob(private)
    digest = hashlib.sha512(payload).digest()
    signed = b"SSHSIG" + ssh_string(b"git") + ssh_string(b"") + ssh_string(b"sha512") + ssh_string(digest)
    signature = ssh_string(b"ssh-ed25519") + ssh_string(private.sign(signed))
    blob = (b"SSHSIG" + struct.pack(">I", 1) + ssh_string(public_blob) + ssh_string(b"git") + ssh_string(b"")
            + ssh_string(b"sha512") + ssh_string(signature))
    text = base64.b64encode(blob)
    lines = [text[i:i + 70] for i in range(0, len(text), 70)]
    return b"-----BEGIN SSH SIGNATURE-----\n" + b"\n".join(lines) + b"\n-----END SSH SIGNATURE-----\n"


def ssh_public_blob(private: ed25519.Ed25519PrivateKey) -> bytes:
    raw = private.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    return ssh_string(b"ssh-ed25519") + ssh_string(raw)


def ssh_public_line(private: ed25519.Ed25519PrivateKey, comment: str) -> str:
    return f"ssh-ed25519 {base64.b64encode(ssh_public_blob(private)).decode()} {comment}\n"


def signed_commit(body: bytes, signature: bytes) -> bytes:
    """The commit object `body` with `signature` as its `gpgsig` header, where Git puts it."""
    end = body.index(b"\n\n")
    lines = signature.rstrip(b"\n").split(b"\n")
    header = b"gpgsig " + b"\n ".join(lines) + b"\n"
    return body[:end + 1] + header + body[end + 1:]


# ---------------------------------------------------------------- verdicts

def signer(raw_commit: bytes, keys: list[PublicKey]) -> str:
    """The ident of the key among `keys` whose signature the commit carries, or "" (unsigned, bad, unknown key)."""
    payload, signature = split_signed_commit(raw_commit)
    if not signature:
        return ""
    ssh = signature.startswith(b"-----BEGIN SSH SIGNATURE-----")
    for key in keys:
        if (key.kind == "ssh") != ssh:
            continue
        try:
            if (_verify_ssh if ssh else _verify_openpgp)(payload, signature, key):
                return key.ident
        except (ValueError, IndexError, struct.error, UnsupportedAlgorithm):
            return ""
    return ""


def load_key(kind: str, text: bytes) -> PublicKey:
    return load_ssh_key(text) if kind == "ssh" else load_openpgp_key(text)
