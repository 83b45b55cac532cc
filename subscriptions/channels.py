"""Channel names on the bus (kept short: Postgres NOTIFY caps them at 63 bytes)."""

AUTH_REVOCATIONS = "auth.revocations"
# Wake-ups and cancellations for the generation workers of every process.
AI_TASKS_WORKER = "ai_tasks.worker"
# Each stream (subscriptions/streams.py) has its own channel: this prefix + the stream key.
STREAM_PREFIX = "s."
MAX_CHANNEL_BYTES = 63


def stream_channel(stream_key: str) -> str:
    channel = f"{STREAM_PREFIX}{stream_key}"
    if len(channel.encode()) > MAX_CHANNEL_BYTES:
        raise ValueError(f"stream key too long for a channel: {stream_key!r}")
    return channel


# After an import committed (docs/ops.md): subscribers and caches reload what they keep.
MIGRATION_RESYNC = "migration.resync"
