"""Running a stack: the commands as a library (plan, apply, drift, destroy, validate),
the scheduler, run records, reports and progress."""
