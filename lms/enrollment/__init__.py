"""Who is enrolled in what: offerings (courses and training packages pushed by ``courses`` on publish),
self-enrolment, cohort enrolment by an institution admin, and the learner's "My learning" page."""
