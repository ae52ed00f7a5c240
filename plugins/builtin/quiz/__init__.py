"""Quiz activity: question banks edited in the Wagtail admin, random draw, attempt limits, pass mark,
feedback; answers are checked on the server and recorded as xAPI attempted/answered/passed/failed."""
