"""The township monthly report workflow: upload → preview → confirm (待审核) → approve (the values
count) or return with a reason (the township resubmits). Every version sent is kept with its file: the
portal's copy of the cells read, not the upload's bytes (reporting/drafts.py, reporting/kept_copy.py).
Parsing never touches the database; writing never parses.

One module a step; import from the one that holds what you need (this package re-exports nothing):

- locks.py: the bureau's reporting calendar (a month's deadline and lock date), whether a township's
  month is locked, and the bureau opening it again.
- upload.py: a township's file, or the bureau's city-wide one, read and checked into a preview, and
  kept as a draft per township until it is confirmed.
- versions.py: the preview's notes on the versions already sent (replaced, the same file, an older
  file sent over a newer one).
- explanations.py: the 核实 figures a draft must explain before it is confirmed, and their 核实说明.
- workflow.py: confirm, approve, return: the status changes of a month's versions, under their locks,
  with the notices after commit; and a submission's figures as the write path takes them.
- files.py: the file behind a sent submission, as the user asking may download it.
- guards.py: the refusals the steps share: who may send or review a township's month, and in which
  status a submission may still be acted on.
"""
