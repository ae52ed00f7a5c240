"""Offline attendance: a trainer signs off a face-to-face 送教下乡 session for listed learners (xAPI attended)."""
