"""Numbered certificates for completions: PDF with Chinese text and a QR code, public verification, revocation."""
