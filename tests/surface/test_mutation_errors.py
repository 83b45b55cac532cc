"""One path from a raised domain error to a mutation's payload (schema/mutation_errors.py).

- No schema module catches a domain error to build a payload by hand, or calls `from_error`.
- Every mutation whose payload can report a refusal carries `DomainErrorPayload`.
- The extension itself, on a small schema: sync and async resolvers, blockers, defaults,
  permission classes, and errors that must stay top-level errors.
"""

from __future__ import annotations

import ast
import importlib
from enum import StrEnum
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
import strawberry
from strawberry.permission import BasePermission

from resolvers.errors import DomainError, Forbidden
from schema.build import build_schema
from schema.mutation_errors import DomainErrorPayload, PayloadShape
from settings import get_settings

ROOT = Path(__file__).resolve().parent.parent.parent
SCHEMA = ROOT / "schema"
THE_ONE_PATH = SCHEMA / "mutation_errors.py"
# Routes beside /graphql answer a refused upload with an HTTP status, not a payload.
NOT_GRAPHQL = {SCHEMA / "assets" / "http.py"}


def _module(path: Path) -> ModuleType:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return importlib.import_module(".".join(parts[:-1] if parts[-1] == "__init__" else parts))


def _caught(handler: ast.ExceptHandler, path: Path) -> list[type]:
    if handler.type is None:
        return [BaseException]
    nodes = handler.type.elts if isinstance(handler.type, ast.Tuple) else [handler.type]
    namespace = vars(_module(path))
    return [eval(ast.unparse(node), namespace) for node in nodes]


def _mentions_a_payload(handler: ast.ExceptHandler) -> bool:
    names = {
        node.id if isinstance(node, ast.Name) else node.attr
        for node in ast.walk(handler)
        if isinstance(node, ast.Name | ast.Attribute)
    }
    return any(name.endswith("Payload") for name in names)


def _hand_built_refusals(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: list[str] = []
    for node in ast.walk(tree):
        if "from_error" in (getattr(node, key, None) for key in ("attr", "name", "id")):
            found.append(f"{path.relative_to(ROOT)}:{getattr(node, 'lineno', 0)}: from_error")
        if not isinstance(node, ast.ExceptHandler):
            continue
        caught = _caught(node, path)
        where = f"{path.relative_to(ROOT)}:{node.lineno}"
        if any(issubclass(each, DomainError) for each in caught):
            # A domain error may only be re-raised as another error (a query's BAD_USER_INPUT).
            if not isinstance(node.body[-1], ast.Raise) and path not in NOT_GRAPHQL:
                found.append(f"{where}: catches a domain error and answers by hand")
        elif any(issubclass(DomainError, each) for each in caught) and _mentions_a_payload(node):
            found.append(f"{where}: a broad except builds a payload")
    return found


def test_no_schema_module_catches_a_domain_error_to_build_a_payload_by_hand() -> None:
    found = [
        problem
        for path in sorted(SCHEMA.rglob("*.py"))
        if path != THE_ONE_PATH
        for problem in _hand_built_refusals(path)
    ]
    assert found == []


def test_every_mutation_that_can_refuse_carries_the_extension() -> None:
    schema = build_schema(get_settings())
    mutation = schema.get_type_by_name("Mutation")
    assert isinstance(mutation, strawberry.types.base.StrawberryObjectDefinition)
    missing: list[str] = []
    for field in mutation.fields:
        try:
            PayloadShape.of(field.type)
        except TypeError:
            continue  # not a payload that can report a refusal (authLogoutAll's count)
        if not any(isinstance(extension, DomainErrorPayload) for extension in field.extensions):
            missing.append(schema.config.name_converter.get_graphql_name(field))
    assert missing == []


# --- the extension on a small schema ---------------------------------------------------------


class ToyCode(StrEnum):
    TAKEN = "TAKEN"
    GAP = "GAP"


class ElsewhereCode(StrEnum):
    ELSEWHERE = "ELSEWHERE"


class ToyError(DomainError):
    pass


class ToyBlocked(ToyError):
    """Like a blocked world publish: one error per blocker, and the blockers listed."""

    def __init__(self, gaps: list[str]) -> None:
        super().__init__(ToyCode.GAP, "Not ready.")
        self.gaps = gaps
        self.blockers = [object() for _ in gaps]

    def errors(self) -> list[ToyError]:
        return [ToyError(ToyCode.GAP, f"Fill {gap}.", field=gap) for gap in self.gaps]


strawberry.enum(ToyCode)


@strawberry.type
class ToyErrorType:
    code: ToyCode
    field: str | None
    message: str


@strawberry.type
class ToyBlocker:
    kind: str

    @classmethod
    def from_blocker(cls, blocker: object) -> ToyBlocker:
        return cls(kind=type(blocker).__name__)


@strawberry.type
class ToyPayload:
    errors: list[ToyErrorType]
    blockers: list[ToyBlocker]
    thing: str | None
    tags: list[str]
    count: int = 0
    note: strawberry.Private[str | None] = None


def _outcome(outcome: str) -> ToyPayload:
    errors: dict[str, Exception] = {
        "taken": ToyError(ToyCode.TAKEN, "Taken.", field="name"),
        "blocked": ToyBlocked(["title", "cover"]),
        "forbidden": Forbidden(),
        "elsewhere": DomainError(ElsewhereCode.ELSEWHERE, "Another domain's code."),
    }
    if outcome in errors:
        raise errors[outcome]
    return ToyPayload(errors=[], blockers=[], thing="done", tags=["a"], count=1)


calls: list[str] = []


class Deny(BasePermission):
    message = "Denied."

    def has_permission(self, source: Any, info: Any, **kwargs: Any) -> bool:
        return False


@strawberry.type
class ToyQuery:
    ok: bool = True


@strawberry.type
class ToyMutation:
    @strawberry.mutation(extensions=[DomainErrorPayload()])
    def sync_write(self, outcome: str) -> ToyPayload:
        return _outcome(outcome)

    @strawberry.mutation(extensions=[DomainErrorPayload()])
    async def async_write(self, outcome: str) -> ToyPayload:
        return _outcome(outcome)

    @strawberry.mutation(permission_classes=[Deny], extensions=[DomainErrorPayload()])
    async def guarded_write(self, outcome: str) -> ToyPayload:
        calls.append(outcome)
        return _outcome(outcome)


TOY = strawberry.Schema(query=ToyQuery, mutation=ToyMutation)
FIELDS = "errors { code field message } blockers { kind } thing tags count"


async def _run(field: str, outcome: str) -> Any:
    return await TOY.execute(f'mutation {{ {field}(outcome: "{outcome}") {{ {FIELDS} }} }}')


@pytest.mark.parametrize("field", ["syncWrite", "asyncWrite"])
async def test_a_domain_error_becomes_the_payload_with_every_other_field_empty(
    field: str,
) -> None:
    result = await _run(field, "taken")
    assert result.errors is None
    assert result.data == {
        field: {
            "errors": [{"code": "TAKEN", "field": "name", "message": "Taken."}],
            "blockers": [],
            "thing": None,
            "tags": [],
            "count": 0,
        }
    }


@pytest.mark.parametrize("field", ["syncWrite", "asyncWrite"])
async def test_a_blocked_error_reports_one_error_per_blocker_and_lists_them(field: str) -> None:
    result = await _run(field, "blocked")
    assert result.data == {
        field: {
            "errors": [
                {"code": "GAP", "field": "title", "message": "Fill title."},
                {"code": "GAP", "field": "cover", "message": "Fill cover."},
            ],
            "blockers": [{"kind": "object"}, {"kind": "object"}],
            "thing": None,
            "tags": [],
            "count": 0,
        }
    }


@pytest.mark.parametrize("field", ["syncWrite", "asyncWrite"])
async def test_success_passes_through_untouched(field: str) -> None:
    result = await _run(field, "fine")
    assert result.data == {
        field: {"errors": [], "blockers": [], "thing": "done", "tags": ["a"], "count": 1}
    }


@pytest.mark.parametrize("field", ["syncWrite", "asyncWrite"])
@pytest.mark.parametrize(
    ("outcome", "error_type"), [("forbidden", Forbidden), ("elsewhere", DomainError)]
)
async def test_access_errors_and_codes_the_payload_lacks_stay_top_level_errors(
    field: str, outcome: str, error_type: type[Exception]
) -> None:
    result = await _run(field, outcome)
    assert result.data is None
    assert result.errors is not None and len(result.errors) == 1
    assert type(result.errors[0].original_error) is error_type


async def test_permission_classes_still_refuse_before_the_resolver_runs() -> None:
    calls.clear()
    result = await _run("guardedWrite", "taken")
    assert result.data is None
    assert result.errors is not None and [e.message for e in result.errors] == ["Denied."]
    assert calls == []


def test_a_payload_that_cannot_be_empty_is_refused_when_the_schema_is_built() -> None:
    @strawberry.type
    class CountedPayload:
        errors: list[ToyErrorType]
        count: int

    with pytest.raises(TypeError, match=r"CountedPayload\.count cannot be empty on a refusal"):
        PayloadShape.of(CountedPayload)
