"""The creation framework (docs/creation.md): one row per agent turn, for every play type.

Not a catalog table (docs/tables.md). The catalog gives custom worlds an operation table
(`custom_world_agent_operation`) but no other play type one, and none of them a link from a
turn to the AI task that produces its reply. `creation_agent_operation` is that link and
the operation of play types without their own: status, phase and progress of the turn,
the task, the user message that started it, the reply format asked for, and the warning
recorded when a reply could not be used. Play types with a catalog operation table keep
their row in step with the same `operation_id` (`CreationAdapter.record_operation`).
"""

from piccolo.columns import Integer, Text, Timestamptz, Varchar
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table


class CreationAgentOperation(Table, tablename="creation_agent_operation"):
    operation_id = Varchar(length=64, primary_key=True)
    play_type = Varchar(length=32)
    session_id = Varchar(length=64)
    owner_user_id = Varchar(length=64, index=True)
    operation_type = Varchar(length=32)
    # running → completed | failed | cancelled (resolvers/creation/model.py)
    status = Varchar(length=16)
    phase_label = Varchar(length=200)
    phase_detail = Text(default="")
    progress = Integer(default=0)
    error_message = Text(null=True, default=None)
    warning_message = Text(null=True, default=None)
    task_id = Varchar(length=64, unique=True)
    user_message_id = Varchar(length=64)
    # `text` (built-in generator) or `json` (a model asked for a JSON object)
    reply_format = Varchar(length=8)
    created_at = Timestamptz(default=TimestamptzNow())
    updated_at = Timestamptz(default=TimestamptzNow())
    finished_at = Timestamptz(null=True, default=None)


# Secondary indexes: a session's turns (newest first), the viewer's unfinished turns, and
# the task → turn link (unique: one turn per task).
INDEXES = {
    ("creation_agent_operation", ("owner_user_id",), False),
    ("creation_agent_operation", ("task_id",), True),
    ("creation_agent_operation", ("play_type", "session_id", "created_at"), False),
}
