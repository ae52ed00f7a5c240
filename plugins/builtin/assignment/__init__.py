"""Assignment activity: the learner uploads a file (size and type checked from its content), a teacher of
the course's institution scores it with a comment; records attempted and scored."""
