"""Video activity: a plain HTML5 player that records watched time and position at quarter points and on
pause/end (xAPI launched/progressed/completed), and resumes where the learner stopped."""
