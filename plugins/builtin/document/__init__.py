"""Document activity: opening a document records ``launched``; "I have read it" records ``completed``."""
