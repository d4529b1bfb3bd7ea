"""Signing and examining certificate PDFs: what makes a document genuine, and what must not.

No database: keys live in ``tmp_path``, the PDF is drawn with ReportLab here, timestamps come
from pyHanko's in-process TSA (no network).
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import dataclasses
import io
import json
import os
import shutil
import stat
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from asn1crypto import keys as asn1_keys
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
from pyhanko.keys.internal import translate_pyca_cryptography_cert_to_asn1
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.embed import EmbeddedFileObject
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.timestamps import DummyTimeStamper
from pyhanko.sign.validation.dss import DocumentSecurityStore
from reportlab.pdfgen import canvas

from certificates.signing import pdf_signing
from certificates.signing.development_pki import (
    CREDENTIAL_KEY_FILE,
    DEV_CA_CERT_FILE,
    DEV_CA_CRL_FILE,
    DEV_CA_KEY_FILE,
    SIGNING_CERT_FILE,
    SIGNING_KEY_FILE,
    dev_credential_key_rotate,
    dev_keys_ensure,
    dev_signing_config,
    dev_signing_key_rotate,
)
from certificates.signing.examining import PdfExamination, pdf_examine
from certificates.signing.pdf_signing import Attachment, pdf_sign
from certificates.signing.signers import (
    SigningConfigurationError,
    SigningSetup,
    crls_load,
    signing_setup,
    trust_roots_load,
)

PAGE_TEXT = "Certificate of completion: Digital literacy 101"
CREDENTIAL = json.dumps(
    {"type": ["VerifiableCredential", "OpenBadgeCredential"], "name": "ทักษะดิจิทัล"}, ensure_ascii=False
).encode()
ALL_DEV_FILES = {
    DEV_CA_KEY_FILE,
    DEV_CA_CERT_FILE,
    DEV_CA_CRL_FILE,
    SIGNING_KEY_FILE,
    SIGNING_CERT_FILE,
    CREDENTIAL_KEY_FILE,
}


def sample_pdf(*, encrypt: str | None = None) -> bytes:
    """One page of uncompressed text, so a test can find (and alter) the page content by its bytes."""
    buffer = io.BytesIO()
    page = canvas.Canvas(buffer, pageCompression=0, encrypt=encrypt)
    page.drawString(72, 720, PAGE_TEXT)
    page.showPage()
    page.save()
    return buffer.getvalue()


def credential_attachment(data: bytes = CREDENTIAL) -> Attachment:
    return Attachment(
        filename="credential.json",
        data=data,
        mime_type="application/ld+json",
        description="Open Badges 3.0 credential",
    )


def sign(pdf: bytes, setup: SigningSetup) -> bytes:
    return pdf_sign(
        pdf,
        attachments=[credential_attachment()],
        setup=setup,
        reason="Certificate TH-0001",
        location="Bangkok",
        signer_name="Thaksa",
    )


def ca_of(keys_dir: Path) -> tuple[ec.EllipticCurvePrivateKey, x509.Certificate]:
    key = serialization.load_pem_private_key((keys_dir / DEV_CA_KEY_FILE).read_bytes(), password=None)
    assert isinstance(key, ec.EllipticCurvePrivateKey)
    return key, x509.load_pem_x509_certificate((keys_dir / DEV_CA_CERT_FILE).read_bytes())


def local_timestamper(keys_dir: Path, *, at: datetime | None = None) -> DummyTimeStamper:
    """A TSA inside the test process whose certificate comes from the development CA.

    pyHanko's DummyTimeStamper only signs with RSA, so the TSA key is RSA-2048.
    """
    ca_key, ca_cert = ca_of(keys_dir)
    tsa_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    now = datetime.now(UTC)
    tsa_cert = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Test TSA")]))
        .issuer_name(ca_cert.subject)
        .public_key(tsa_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=365))
        .not_valid_after(now + timedelta(days=365))
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.TIME_STAMPING]), critical=True)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False
        )
        .sign(ca_key, hashes.SHA256())
    )
    return DummyTimeStamper(
        tsa_cert=translate_pyca_cryptography_cert_to_asn1(tsa_cert),
        tsa_key=asn1_keys.PrivateKeyInfo.load(
            tsa_key.private_bytes(
                serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
            )
        ),
        certs_to_embed=[translate_pyca_cryptography_cert_to_asn1(ca_cert)],
        fixed_dt=at,
    )


@pytest.fixture
def keys_dir(tmp_path: Path) -> Path:
    directory = tmp_path / "keys"
    dev_keys_ensure(directory)
    return directory


@pytest.fixture
def setup(keys_dir: Path) -> SigningSetup:
    return signing_setup(dev_signing_config(keys_dir))


@pytest.fixture
def roots(keys_dir: Path) -> list:
    return trust_roots_load([keys_dir / DEV_CA_CERT_FILE])


@pytest.fixture
def signed(setup: SigningSetup) -> bytes:
    return sign(sample_pdf(), setup)


# --- development keys -------------------------------------------------------------------------


def test_dev_keys_ensure_creates_everything_once_and_never_touches_it_again(tmp_path: Path) -> None:
    keys_dir = tmp_path / "keys"

    created = dev_keys_ensure(keys_dir, organisation="Office of the Civil Service Commission")

    assert set(created) == ALL_DEV_FILES
    before = {path.name: path.read_bytes() for path in keys_dir.iterdir()}
    assert dev_keys_ensure(keys_dir, organisation="Someone else") == []
    assert {path.name: path.read_bytes() for path in keys_dir.iterdir()} == before
    for private in (DEV_CA_KEY_FILE, SIGNING_KEY_FILE, CREDENTIAL_KEY_FILE):
        assert stat.S_IMODE(os.stat(keys_dir / private).st_mode) == 0o600, private


def test_dev_keys_ensure_makes_a_ca_and_a_document_signing_certificate(keys_dir: Path) -> None:
    ca = x509.load_pem_x509_certificate((keys_dir / DEV_CA_CERT_FILE).read_bytes())
    leaf = x509.load_pem_x509_certificate((keys_dir / SIGNING_CERT_FILE).read_bytes())

    assert ca.extensions.get_extension_for_class(x509.BasicConstraints).value.ca
    assert ca.extensions.get_extension_for_class(x509.KeyUsage).value.key_cert_sign
    assert isinstance(ca.public_key(), ec.EllipticCurvePublicKey)
    assert ca.not_valid_after_utc - ca.not_valid_before_utc > timedelta(days=19 * 365)
    assert leaf.issuer == ca.subject
    usage = leaf.extensions.get_extension_for_class(x509.KeyUsage).value
    assert usage.digital_signature
    assert usage.content_commitment
    assert not leaf.extensions.get_extension_for_class(x509.BasicConstraints).value.ca
    assert (
        x509.ObjectIdentifier("1.3.6.1.5.5.7.3.36")
        in leaf.extensions.get_extension_for_class(x509.ExtendedKeyUsage).value
    )
    assert leaf.subject.get_attributes_for_oid(NameOID.COMMON_NAME)[0].value.endswith("document signing")
    crl = x509.load_pem_x509_crl((keys_dir / DEV_CA_CRL_FILE).read_bytes())
    assert crl.is_signature_valid(ca.public_key())
    assert len(crl) == 0
    credential_key = serialization.load_pem_private_key(
        (keys_dir / CREDENTIAL_KEY_FILE).read_bytes(), password=None
    )
    assert type(credential_key).__name__.startswith("Ed25519")


def test_dev_keys_ensure_replaces_only_an_expired_crl(keys_dir: Path) -> None:
    ca_key, ca_cert = ca_of(keys_dir)
    now = datetime.now(UTC)
    stale = (
        x509.CertificateRevocationListBuilder()
        .issuer_name(ca_cert.subject)
        .last_update(now - timedelta(days=30))
        .next_update(now - timedelta(days=1))
        .sign(ca_key, hashes.SHA256())
    )
    (keys_dir / DEV_CA_CRL_FILE).write_bytes(stale.public_bytes(serialization.Encoding.PEM))
    signing_key = (keys_dir / SIGNING_KEY_FILE).read_bytes()

    assert dev_keys_ensure(keys_dir) == [DEV_CA_CRL_FILE]
    fresh = x509.load_pem_x509_crl((keys_dir / DEV_CA_CRL_FILE).read_bytes())
    assert fresh.next_update_utc is not None
    assert fresh.next_update_utc > now
    assert (keys_dir / SIGNING_KEY_FILE).read_bytes() == signing_key


# --- signing and examining --------------------------------------------------------------------


def test_signed_document_is_genuine_and_carries_the_credential(
    keys_dir: Path, setup: SigningSetup, signed: bytes, roots: list
) -> None:
    examination = pdf_examine(signed, trust_roots=roots)

    assert examination.genuine, examination.problems
    assert examination.readable
    assert examination.intact
    assert examination.valid
    assert examination.trusted
    assert examination.whole_file
    assert examination.problems == ()
    assert examination.attachments == {"credential.json": CREDENTIAL}
    assert "Thaksa (development)" in examination.signer
    leaf = x509.load_pem_x509_certificate((keys_dir / SIGNING_CERT_FILE).read_bytes())
    assert (
        examination.certificate_sha256 == setup.certificate_sha256 == leaf.fingerprint(hashes.SHA256()).hex()
    )
    assert examination.signed_at is not None
    assert abs(examination.signed_at - datetime.now(UTC)) < timedelta(minutes=5)
    assert not examination.timestamped


def test_signed_document_is_a_pades_signature_with_an_associated_credential(signed: bytes) -> None:
    reader = PdfFileReader(io.BytesIO(signed))
    (signature,) = reader.embedded_signatures

    assert signature.sig_object["/SubFilter"] == "/ETSI.CAdES.detached"
    assert signature.md_algorithm == "sha256"
    assert signature.signer_info["signature_algorithm"]["algorithm"].native == "sha256_ecdsa"
    assert reader.input_version == (1, 7), "ECDSA must not push the document to PDF 2.0 (PDF/A-3 is 1.7)"
    (spec_ref,) = reader.root["/AF"]
    spec = spec_ref.get_object()
    assert spec["/AFRelationship"] == "/Data"
    assert spec["/EF"]["/F"]["/Subtype"] == "/application/ld+json"
    assert [float(value) for value in signature.sig_field["/Rect"]] == [0, 0, 0, 0], "must be invisible"
    assert reader.root["/Perms"]["/DocMDP"]["/Reference"][0]["/TransformParams"]["/P"] == 1, "certified"


def test_attachment_is_byte_identical_for_pdfdetach(signed: bytes, tmp_path: Path) -> None:
    if shutil.which("pdfdetach") is None:
        pytest.skip("poppler-utils not installed")
    document = tmp_path / "signed.pdf"
    document.write_bytes(signed)
    subprocess.run(["pdfdetach", "-saveall", "-o", str(tmp_path), str(document)], check=True)

    assert (tmp_path / "credential.json").read_bytes() == CREDENTIAL


def test_b_t_with_a_local_timestamp_server_is_timestamped_and_genuine(keys_dir: Path, roots: list) -> None:
    setup = signing_setup(dev_signing_config(keys_dir, level="B-T"), timestamper=local_timestamper(keys_dir))

    examination = pdf_examine(sign(sample_pdf(), setup), trust_roots=roots)

    assert examination.timestamped
    assert examination.genuine, examination.problems


def test_an_untrusted_timestamp_is_reported_without_discrediting_the_signature(
    keys_dir: Path, roots: list
) -> None:
    """The TSA's root may differ from ours (a commercial TSA); its token is an unsigned addition."""
    setup = signing_setup(dev_signing_config(keys_dir, level="B-T"), timestamper=local_timestamper(keys_dir))

    examination = pdf_examine(sign(sample_pdf(), setup), trust_roots=roots, timestamp_trust_roots=[])

    assert not examination.timestamped
    assert examination.genuine
    assert "signature timestamp not valid or not trusted" in examination.problems


def test_b_lt_embeds_the_crl_in_the_signed_revision_and_is_genuine(keys_dir: Path, roots: list) -> None:
    setup = signing_setup(dev_signing_config(keys_dir, level="B-LT"), timestamper=local_timestamper(keys_dir))

    document = sign(sample_pdf(), setup)
    examination = pdf_examine(document, trust_roots=roots)

    assert examination.genuine, examination.problems
    assert examination.timestamped
    assert examination.whole_file
    reader = PdfFileReader(io.BytesIO(document))
    store = DocumentSecurityStore.read_dss(reader)
    ca_crl = x509.load_pem_x509_crl((keys_dir / DEV_CA_CRL_FILE).read_bytes())
    embedded = [ref.get_object().data for ref in store.crls]
    assert ca_crl.public_bytes(serialization.Encoding.DER) in embedded
    certificates = {cert.sha256.hex() for cert in store.load_certs()}
    assert setup.certificate_sha256 in certificates
    assert reader.total_revisions == 2, "B-LT data must not need a revision after the signature"


def test_b_t_keeps_a_document_genuine_after_its_certificate_expired(
    keys_dir: Path, roots: list, monkeypatch
) -> None:
    """Point-in-time validation: a trusted timestamp proves the signature predates the expiry.
    (Signing with an expired certificate is refused; the documents here stand for ones signed
    while it was valid.)"""
    ca_key, ca_cert = ca_of(keys_dir)
    key = ec.generate_private_key(ec.SECP256R1())
    now = datetime.now(UTC)
    expired = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Expired document signing")]))
        .issuer_name(ca_cert.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=30))
        .not_valid_after(now - timedelta(days=1))
        .add_extension(
            x509.KeyUsage(True, True, False, False, False, False, False, False, False), critical=True
        )
        .sign(ca_key, hashes.SHA256())
    )
    (keys_dir / "expired.key.pem").write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
    )
    (keys_dir / "expired.cert.pem").write_bytes(expired.public_bytes(serialization.Encoding.PEM))
    config = {
        **dev_signing_config(keys_dir),
        "KEY_FILE": keys_dir / "expired.key.pem",
        "CERT_FILE": keys_dir / "expired.cert.pem",
    }
    with pytest.raises(SigningConfigurationError, match=r"expired on .* restart"):
        sign(sample_pdf(), signing_setup(config))
    monkeypatch.setattr(pdf_signing, "_signing_certificate_require_current", lambda setup: None)
    untimestamped = sign(sample_pdf(), signing_setup(config))
    timestamped = sign(
        sample_pdf(),
        signing_setup(
            {**config, "LEVEL": "B-T"}, timestamper=local_timestamper(keys_dir, at=now - timedelta(days=2))
        ),
    )

    assert not pdf_examine(untimestamped, trust_roots=roots).trusted
    # Judged as of a moment its issuer vouches for (Thaksa's record of when it issued the file).
    assert pdf_examine(untimestamped, trust_roots=roots, moment=now - timedelta(days=2)).genuine
    examination = pdf_examine(timestamped, trust_roots=roots)
    assert examination.genuine, examination.problems
    assert examination.signed_at is not None
    assert examination.signed_at < now - timedelta(days=1)


# --- tampering --------------------------------------------------------------------------------


def test_a_changed_byte_in_the_page_content_breaks_integrity(signed: bytes, roots: list) -> None:
    original = PAGE_TEXT.encode()
    assert signed.count(original) == 1
    tampered = signed.replace(original, b"X" + original[1:])

    examination = pdf_examine(tampered, trust_roots=roots)

    assert examination.signed
    assert not examination.intact
    assert not examination.genuine


def test_a_changed_byte_in_the_signature_value_breaks_validity(signed: bytes, roots: list) -> None:
    (signature,) = PdfFileReader(io.BytesIO(signed)).embedded_signatures
    value = signature.signer_info["signature"].native  # DER ECDSA-Sig-Value: 30 len 02 len r...
    for encoded in (value.hex().encode(), value.hex().upper().encode()):
        if encoded in signed:
            break
    else:
        pytest.fail("signature value not found in /Contents")
    position = signed.index(encoded) + 2 * 8  # a nibble inside r
    flipped = b"0" if signed[position : position + 1] != b"0" else b"1"
    tampered = signed[:position] + flipped + signed[position + 1 :]

    examination = pdf_examine(tampered, trust_roots=roots)

    assert examination.signed
    assert examination.intact
    assert not examination.valid
    assert not examination.genuine


def test_an_attachment_replaced_after_signing_is_detected(signed: bytes, roots: list) -> None:
    forged = b'{"type": "OpenBadgeCredential", "name": "forged"}'
    writer = IncrementalPdfFileWriter(io.BytesIO(signed))
    names = writer.root["/Names"]["/EmbeddedFiles"]["/Names"]
    spec_ref = names.raw_get(1)
    replacement = EmbeddedFileObject.from_file_data(writer, data=forged, mime_type="application/ld+json")
    spec_ref.get_object()["/EF"] = generic.DictionaryObject(
        {
            generic.pdf_name("/F"): replacement.ef_stream_ref,
            generic.pdf_name("/UF"): replacement.ef_stream_ref,
        }
    )
    writer.mark_update(spec_ref)
    output = io.BytesIO()
    writer.write(output)

    examination = pdf_examine(output.getvalue(), trust_roots=roots)

    assert examination.intact  # the old revision is fine
    assert examination.valid
    assert examination.trusted
    assert not examination.whole_file
    assert examination.attachments["credential.json"] == forged
    assert not examination.genuine


def test_a_document_signed_under_another_ca_is_valid_but_not_trusted(tmp_path: Path, roots: list) -> None:
    other_keys = tmp_path / "other"
    dev_keys_ensure(other_keys, organisation="Thaksa (development)")

    examination = pdf_examine(
        sign(sample_pdf(), signing_setup(dev_signing_config(other_keys))), trust_roots=roots
    )

    assert examination.intact
    assert examination.valid
    assert examination.whole_file
    assert not examination.trusted
    assert not examination.genuine
    assert any("not trusted" in problem for problem in examination.problems)


def test_without_trust_roots_nothing_is_trusted(signed: bytes) -> None:
    """An empty list must mean "trust nobody", never pyHanko's fallback to the system's TLS roots."""
    examination = pdf_examine(signed, trust_roots=[])

    assert examination.intact
    assert not examination.trusted


@pytest.mark.parametrize("crl_age", [timedelta(0), timedelta(days=30)], ids=["current-crl", "stale-crl"])
def test_a_revoked_signing_certificate_is_not_trusted(
    keys_dir: Path, signed: bytes, roots: list, crl_age: timedelta
) -> None:
    """Also from a CRL past its nextUpdate: a revocation does not expire."""
    ca_key, ca_cert = ca_of(keys_dir)
    leaf = x509.load_pem_x509_certificate((keys_dir / SIGNING_CERT_FILE).read_bytes())
    issued = datetime.now(UTC) - crl_age
    revocation = (
        x509.RevokedCertificateBuilder().serial_number(leaf.serial_number).revocation_date(issued).build()
    )
    crl = (
        x509.CertificateRevocationListBuilder()
        .issuer_name(ca_cert.subject)
        .last_update(issued)
        .next_update(issued + timedelta(days=7))
        .add_revoked_certificate(revocation)
        .sign(ca_key, hashes.SHA256())
    )
    crl_file = keys_dir / "revoked.crl.pem"
    crl_file.write_bytes(crl.public_bytes(serialization.Encoding.PEM))

    examination = pdf_examine(signed, trust_roots=roots, crls=crls_load([crl_file]))

    assert not examination.trusted
    assert "signer certificate revoked" in examination.problems


def test_a_stale_crl_does_not_make_a_document_untrusted(keys_dir: Path, signed: bytes, roots: list) -> None:
    """Soft-fail: old revocation data (e.g. the CRL embedded at B-LT, years later) is no verdict."""
    ca_key, ca_cert = ca_of(keys_dir)
    now = datetime.now(UTC)
    stale = (
        x509.CertificateRevocationListBuilder()
        .issuer_name(ca_cert.subject)
        .last_update(now - timedelta(days=60))
        .next_update(now - timedelta(days=30))
        .sign(ca_key, hashes.SHA256())
    )
    crl_file = keys_dir / "stale.crl.pem"
    crl_file.write_bytes(stale.public_bytes(serialization.Encoding.PEM))

    examination = pdf_examine(signed, trust_roots=roots, crls=crls_load([crl_file]))

    assert examination.genuine, examination.problems


@pytest.mark.parametrize("signature_kept", [False, True], ids=["never-signed", "signature-stripped"])
def test_an_unsigned_document_is_readable_but_not_signed(
    signed: bytes, roots: list, signature_kept: bool
) -> None:
    # The signed file is the original plus one incremental update; cutting at the first %%EOF
    # strips the signature (and the attachment) and leaves a perfectly valid PDF.
    document = signed[: signed.index(b"%%EOF") + len(b"%%EOF")] if signature_kept else sample_pdf()

    examination = pdf_examine(document, trust_roots=roots)

    assert examination.readable
    assert not examination.signed
    assert not examination.genuine
    assert examination.problems == ("no signature",)


@pytest.mark.parametrize(
    "garbage",
    [
        b"",
        os.urandom(4096),
        b"<!DOCTYPE html><html><body>Certificate</body></html>",
        b"%PDF-1.7\n" + os.urandom(2048),
        b"%PDF-1.7\n%%EOF",
    ],
    ids=["empty", "random", "html", "pdf-header-then-noise", "header-only"],
)
def test_garbage_is_unreadable_without_an_exception(garbage: bytes, roots: list) -> None:
    examination = pdf_examine(garbage, trust_roots=roots)

    assert not examination.readable
    assert not examination.signed
    assert not examination.genuine
    assert examination.problems


def test_a_truncated_document_is_unreadable(signed: bytes, roots: list) -> None:
    examination = pdf_examine(signed[: len(signed) // 2], trust_roots=roots)

    assert not examination.readable
    assert not examination.genuine


@pytest.mark.parametrize("cut", [1, 7, 40, 200, 1000, 3000])
def test_no_truncation_is_genuine_or_raises(signed: bytes, roots: list, cut: int) -> None:
    assert not pdf_examine(signed[:-cut], trust_roots=roots).genuine


def test_an_encrypted_pdf_is_reported_not_raised(roots: list) -> None:
    examination = pdf_examine(sample_pdf(encrypt="secret"), trust_roots=roots)

    assert not examination.readable
    assert not examination.signed
    assert any("encrypted" in problem for problem in examination.problems)


# --- rotation ---------------------------------------------------------------------------------


def test_signing_key_rotation_keeps_old_documents_genuine(keys_dir: Path, roots: list) -> None:
    old_setup = signing_setup(dev_signing_config(keys_dir))
    old_document = sign(sample_pdf(), old_setup)
    old_key = (keys_dir / SIGNING_KEY_FILE).read_bytes()

    fingerprint = dev_signing_key_rotate(keys_dir)

    retired = sorted(path.name for path in (keys_dir / "retired").iterdir())
    assert [name.split("-", 1)[1] for name in retired] == [SIGNING_CERT_FILE, SIGNING_KEY_FILE]
    assert old_key in [(keys_dir / "retired" / name).read_bytes() for name in retired]
    assert stat.S_IMODE(os.stat(keys_dir / SIGNING_KEY_FILE).st_mode) == 0o600
    old = pdf_examine(old_document, trust_roots=roots)
    assert old.genuine, old.problems
    assert old.certificate_sha256 == old_setup.certificate_sha256
    new_setup = signing_setup(dev_signing_config(keys_dir))
    assert new_setup.certificate_sha256 == fingerprint != old_setup.certificate_sha256
    new = pdf_examine(sign(sample_pdf(), new_setup), trust_roots=roots)
    assert new.genuine
    assert new.certificate_sha256 == fingerprint
    assert dev_keys_ensure(keys_dir) == []


def test_credential_key_rotation_retires_the_old_key(keys_dir: Path) -> None:
    old = (keys_dir / CREDENTIAL_KEY_FILE).read_bytes()

    fingerprint = dev_credential_key_rotate(keys_dir)

    new = (keys_dir / CREDENTIAL_KEY_FILE).read_bytes()
    assert new != old
    assert len(fingerprint) == 64
    (retired,) = (keys_dir / "retired").iterdir()
    assert retired.name.endswith(CREDENTIAL_KEY_FILE)
    assert retired.read_bytes() == old
    assert stat.S_IMODE(os.stat(keys_dir / CREDENTIAL_KEY_FILE).st_mode) == 0o600


# --- configuration ----------------------------------------------------------------------------


def test_a_missing_key_file_names_the_setting(keys_dir: Path) -> None:
    config = {**dev_signing_config(keys_dir), "KEY_FILE": keys_dir / "absent.key.pem"}

    with pytest.raises(SigningConfigurationError, match="KEY_FILE"):
        signing_setup(config)


def test_a_certificate_of_another_key_names_the_settings(keys_dir: Path, tmp_path: Path) -> None:
    other = tmp_path / "other"
    dev_keys_ensure(other)
    config = {**dev_signing_config(keys_dir), "CERT_FILE": other / SIGNING_CERT_FILE}

    with pytest.raises(SigningConfigurationError, match=r"CERT_FILE.*KEY_FILE"):
        signing_setup(config)


def test_b_t_without_a_timestamp_server_names_the_setting(keys_dir: Path) -> None:
    with pytest.raises(SigningConfigurationError, match="TIMESTAMP_URL"):
        signing_setup(dev_signing_config(keys_dir, level="B-T"))
    with pytest.raises(SigningConfigurationError, match="LEVEL"):
        signing_setup(dev_signing_config(keys_dir, level="B-LTA"))


def test_b_lt_with_an_expired_crl_names_the_setting(keys_dir: Path) -> None:
    ca_key, ca_cert = ca_of(keys_dir)
    now = datetime.now(UTC)
    stale = (
        x509.CertificateRevocationListBuilder()
        .issuer_name(ca_cert.subject)
        .last_update(now - timedelta(days=60))
        .next_update(now - timedelta(days=30))
        .sign(ca_key, hashes.SHA256())
    )
    (keys_dir / DEV_CA_CRL_FILE).write_bytes(stale.public_bytes(serialization.Encoding.PEM))

    with pytest.raises(SigningConfigurationError, match=r"CRL_FILES.*expired"):
        signing_setup(dev_signing_config(keys_dir, level="B-LT"), timestamper=local_timestamper(keys_dir))


def write_pkcs12(keys_dir: Path, password: bytes) -> Path:
    key = serialization.load_pem_private_key((keys_dir / SIGNING_KEY_FILE).read_bytes(), password=None)
    assert isinstance(key, ec.EllipticCurvePrivateKey)
    cert = x509.load_pem_x509_certificate((keys_dir / SIGNING_CERT_FILE).read_bytes())
    _, ca_cert = ca_of(keys_dir)
    path = keys_dir / "signing.p12"
    path.write_bytes(
        pkcs12.serialize_key_and_certificates(
            b"document signing", key, cert, [ca_cert], serialization.BestAvailableEncryption(password)
        )
    )
    return path


def test_a_pkcs12_file_signs_genuine_documents(keys_dir: Path, roots: list, setup: SigningSetup) -> None:
    config = {
        "BACKEND": "pkcs12",
        "PKCS12_FILE": write_pkcs12(keys_dir, b"correct horse"),
        "PKCS12_PASSWORD": "correct horse",
    }

    pkcs12_setup = signing_setup(config)
    examination = pdf_examine(sign(sample_pdf(), pkcs12_setup), trust_roots=roots)

    assert examination.genuine, examination.problems
    assert pkcs12_setup.certificate_sha256 == setup.certificate_sha256 == examination.certificate_sha256


def test_a_wrong_pkcs12_password_names_the_setting(keys_dir: Path) -> None:
    config = {
        "BACKEND": "pkcs12",
        "PKCS12_FILE": write_pkcs12(keys_dir, b"right"),
        "PKCS12_PASSWORD": "wrong",
    }

    with pytest.raises(SigningConfigurationError, match="PKCS12_PASSWORD"):
        signing_setup(config)


def test_pkcs11_without_python_pkcs11_says_what_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    # None in sys.modules makes the import fail even if python-pkcs11 gets installed one day.
    monkeypatch.setitem(sys.modules, "pkcs11", None)
    monkeypatch.setitem(sys.modules, "pyhanko.sign.pkcs11", None)
    config = {
        "BACKEND": "pkcs11",
        "PKCS11_MODULE": "/usr/lib/softhsm/libsofthsm2.so",
        "PKCS11_TOKEN_LABEL": "t",
    }

    with pytest.raises(SigningConfigurationError, match=r"python-pkcs11.*pip install"):
        signing_setup(config)


def test_signing_setup_is_reused_without_rereading_keys(keys_dir: Path, roots: list) -> None:
    setup = signing_setup(dev_signing_config(keys_dir))
    (keys_dir / SIGNING_KEY_FILE).unlink()  # the key is in memory now; files are not read again

    documents = [sign(sample_pdf(), setup) for _ in range(2)]

    assert all(pdf_examine(document, trust_roots=roots).genuine for document in documents)


def test_a_too_small_learnt_signature_size_is_relearnt(setup: SigningSetup, roots: list) -> None:
    sign(sample_pdf(), setup)
    assert setup._reserved["contents"] > 1000
    setup._reserved["contents"] = 64  # as if a timestamp server suddenly answered with a longer token

    examination = pdf_examine(sign(sample_pdf(), setup), trust_roots=roots)

    assert examination.genuine, examination.problems
    assert setup._reserved["contents"] > 1000


def test_setup_refuses_an_inconsistent_level() -> None:
    with pytest.raises(SigningConfigurationError, match="TIMESTAMP_URL"):
        dataclasses.replace(
            SigningSetup(
                signer=None,  # type: ignore[arg-type]
                level="B-B",
                timestamper=None,
                validation_context=None,
                certificate_sha256="",
            ),
            level="B-T",
        )


def test_signing_and_examining_work_from_inside_a_running_event_loop(keys_dir: Path, roots: list) -> None:
    """ASGI views and Playwright-driven tests call these with a loop running in their thread."""
    setup = signing_setup(dev_signing_config(keys_dir))

    async def inside_a_loop() -> PdfExamination:
        return pdf_examine(sign(sample_pdf(), setup), trust_roots=roots)

    # In a thread of its own: the test's thread may already run Playwright's loop.
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        assert pool.submit(asyncio.run, inside_a_loop()).result().genuine
