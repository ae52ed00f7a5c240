"""Course and package completion: the teacher's rules evaluated over progress, the moment it changes."""
