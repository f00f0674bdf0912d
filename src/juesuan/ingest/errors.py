"""Input errors: a clear Chinese message naming the file and the problem."""

from __future__ import annotations


class InputError(Exception):
    """A file that cannot be read as a disclosure. ``str()`` is the message for the user."""

    def __init__(self, path: str, problem: str, *, code: str = "input_error", where: str | None = None):
        self.path = path
        self.problem = problem
        self.code = code
        self.where = where
        super().__init__(self.message)

    @property
    def message(self) -> str:
        where = f"（{self.where}）" if self.where else ""
        return f"{self.path}{where}：{self.problem}"


# The codes of a file that is no disclosure at all (a README, a picture): inside a folder such a
# file is skipped and listed, not an input error.
NOT_A_DISCLOSURE = frozenset({"not_a_disclosure", "not_a_document"})
