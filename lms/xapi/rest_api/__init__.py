"""The xAPI HTTP resources under /xapi/ (plain Django views; see lms/xapi/readme.md)."""
