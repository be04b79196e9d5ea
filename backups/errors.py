from common.errors import PortalError


class BackupError(PortalError):
    """A backup could not be made or restored; the message says what to do (for the operator)."""
