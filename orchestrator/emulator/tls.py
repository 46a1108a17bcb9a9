"""The emulator's self-signed TLS certificate: the emulator serves HTTPS, so that bucket policies
that deny plain HTTP (orch bootstrap's) can be evaluated as on AWS.

The certificate is kept under `<state_dir>/tls` and trusted through AWS_CA_BUNDLE.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from orchestrator.emulator import DEFAULT_ACCOUNT_ID, HOST, default_state_dir


def ca_bundle(state_dir: Path | None = None) -> Path:
    """The emulator's self-signed certificate (trusted through AWS_CA_BUNDLE)."""
    return (state_dir or default_state_dir()) / "tls" / "cert.pem"


def certificate_names(account_id: str) -> list[str]:
    """DNS names the emulator's certificate must hold: S3 Control calls go to <account>.<host>."""
    return ["localhost", f"{account_id}.{HOST}"]


def _names_in(cert_path: Path) -> set[str]:
    from cryptography import x509

    try:
        cert = x509.load_pem_x509_certificate(cert_path.read_bytes())
        san = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    except (OSError, ValueError, x509.ExtensionNotFound):
        return set()
    return set(san.get_values_for_type(x509.DNSName))


def ensure_certificate(state_dir: Path, account_id: str = DEFAULT_ACCOUNT_ID) -> tuple[Path, Path]:
    """A self-signed certificate for 127.0.0.1, localhost and <account>.127.0.0.1, kept under
    state_dir/tls and made again only when it lacks a name (another account, an older orch)."""
    tls = state_dir / "tls"
    cert_path, key_path = tls / "cert.pem", tls / "key.pem"
    names = certificate_names(account_id)
    if key_path.exists() and set(names) <= _names_in(cert_path):
        return cert_path, key_path
    import ipaddress
    from datetime import timedelta

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "orch local emulator")])
    now = datetime.now(UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(minutes=5))
        .not_valid_after(now + timedelta(days=825))
        .add_extension(
            x509.SubjectAlternativeName(
                [*(x509.DNSName(n) for n in names), x509.IPAddress(ipaddress.ip_address(HOST))]
            ),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                key_encipherment=True,
                key_cert_sign=True,
                content_commitment=False,
                data_encipherment=False,
                key_agreement=False,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .sign(key, hashes.SHA256())
    )
    tls.mkdir(parents=True, exist_ok=True)
    key_path.unlink(missing_ok=True)
    key_path.touch(mode=0o600)
    key_path.write_bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    return cert_path, key_path
