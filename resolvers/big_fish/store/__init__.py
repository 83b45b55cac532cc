"""Big fish's statements: `sessions` (the creation session, which is the work, and its
message log), `runs` (the runtime rows the ticker saves), `slots` (asset slots) and
`events` (the recorded gate)."""
