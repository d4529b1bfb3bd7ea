"""Certificates' writes: issuing (`issuance`), status changes (`status`), checking what a
visitor brings (`verification`) and expiry reminders (`reminders`)."""
