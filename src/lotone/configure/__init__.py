"""The configuration engine: compile a family to a solver; sessions, domains, completion."""
