"""Keys, PAdES signing and examination of certificate PDFs.

A Thaksa certificate is a PDF that proves itself: the machine-readable credential travels inside
it as an attachment, and a PAdES signature covers the page *and* the attachment, so anyone can
check it offline in a PDF reader and the verification page can check an uploaded copy.

Pure Python (no models, no database), so it runs in web requests, Celery workers and
management commands alike:

* ``development_pki``: ``dev_keys_ensure`` makes a development CA, a document-signing
  certificate, an empty CRL and an Ed25519 credential key on first run; the ``*_rotate``
  functions retire keys without invalidating what was already issued.
* ``signers``: ``signing_setup`` turns settings into a ``SigningSetup`` (key material loaded
  **once**, then reused by every ``pdf_sign`` call); ``trust_roots_load``, ``crls_load``.
* ``pdf_signing``: ``pdf_sign`` embeds the attachments and signs, in one incremental update.
* ``examining``: ``pdf_examine`` answers "is this upload one of ours, unaltered?" and never
  raises on bad input.
* ``event_loop``: runs pyHanko's synchronous API from code inside an event loop.

Nothing here touches the network: timestamps come from the configured TSA only when signing at
B-T/B-LT, and validation never fetches CRLs or OCSP responses (``allow_fetching=False``).
Importers use the module they need; nothing is re-exported here.
"""
