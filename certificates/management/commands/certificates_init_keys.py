"""Make the development signing keys on first run (make run calls this); rotate them on demand.

Production does not use this: it points CERTIFICATES_SIGNING at a PKCS#12 file or an HSM and
CERTIFICATES_CREDENTIAL_KEY_FILE at its Ed25519 key."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from certificates import keys
from certificates.signing import development_pki


class Command(BaseCommand):
    help = "Create the development CA, document-signing certificate and Ed25519 credential key if missing."

    def add_arguments(self, parser):
        parser.add_argument(
            "--rotate",
            action="store_true",
            help="Replace the signing and credential keys with new ones; issued certificates stay valid.",
        )

    def handle(self, *args, rotate: bool, **options):
        keys_dir = Path(settings.CERTIFICATES_KEYS_DIR)
        created = development_pki.dev_keys_ensure(keys_dir)
        if rotate:
            created += [
                development_pki.dev_signing_key_rotate(keys_dir),
                development_pki.dev_credential_key_rotate(keys_dir),
            ]
        keys.keys_forget()
        # Record the credential key now, so credentials it signs verify as ours after later rotations.
        keys.credential_key_record()
        if created:
            self.stdout.write(f"Keys in {keys_dir}: made {', '.join(str(name) for name in created)}.")
        else:
            self.stdout.write(f"Keys in {keys_dir} are in place.")
