"""Process configuration, read once from the environment (and an optional `.env`).

Every knob of the service lives here so that `db`, `resolvers`, `subscriptions` and `schema`
read the same values. Nothing here imports a project layer.
"""

from __future__ import annotations

import logging
import re
from functools import lru_cache
from pathlib import Path
from typing import Literal
from urllib.parse import urlparse

from pydantic import Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict, SettingsError

ROOT = Path(__file__).resolve().parent
DEFAULT_SQLITE_PATH = ROOT / "var" / "genarrative.sqlite"
# A development secret: fine for the embedded default, refused when ENVIRONMENT=production.
DEV_JWT_SECRET = "dev-only-secret-change-me-0123456789abcdef"
# What subscriptions/backends.py can connect to (checked at start-up, in one line).
BROADCAST_SCHEMES = ("memory", "redis", "rediss", "postgres", "postgresql")


class Settings(BaseSettings):
    """All configuration of one process. Environment variables use the upper-case names."""

    model_config = SettingsConfigDict(env_file=".env", extra="ignore")

    environment: str = Field("development", description="`production` enforces real secrets.")
    database_url: str = Field(
        "", description="Empty: the SQLite file under var/. `postgres://…`: PostgreSQL."
    )
    broadcast_url: str = Field("memory://", description="memory://, redis://… or postgres://…")
    database_pool_size: int = Field(
        10, description="Most database connections kept per process (PostgreSQL or SQLite)."
    )

    jwt_secret: str = DEV_JWT_SECRET
    jwt_issuer: str = "genarrative"
    access_token_ttl_seconds: int = 15 * 60
    refresh_token_ttl_seconds: int = 30 * 24 * 3600
    service_token_ttl_days: int = 90

    # argon2id cost; tests lower them through the environment to keep the suite fast.
    argon2_time_cost: int = 3
    argon2_memory_cost_kib: int = 64 * 1024
    argon2_parallelism: int = 2

    phone_code_ttl_seconds: int = 5 * 60
    phone_code_max_attempts: int = 5
    phone_code_resend_seconds: int = 60
    phone_default_region: str = "CN"
    password_max_failures: int = 10
    password_lockout_seconds: int = 15 * 60

    # WeChat sign-in (docs/wechat.md): web OAuth and mini-program login. The secrets are
    # SecretStr: never in a repr, a log line or an error message.
    wechat_api_base_url: str = Field(
        "https://api.weixin.qq.com", description="Root of `sns/oauth2/access_token` etc."
    )
    wechat_authorize_url: str = Field(
        "https://open.weixin.qq.com/connect/qrconnect",
        description="Where `authWechatStart` sends the browser (QR login for websites; "
        "`…/connect/oauth2/authorize` inside WeChat's browser).",
    )
    wechat_scope: str = Field("snsapi_login", description="OAuth scope of the authorize URL.")
    wechat_app_id: str = Field("", description="Web (open platform) app id; empty: off.")
    wechat_app_secret: SecretStr = Field(SecretStr(""), description="Web app secret.")
    wechat_mini_app_id: str = Field("", description="Mini-program app id; empty: off.")
    wechat_mini_app_secret: SecretStr = Field(SecretStr(""), description="Mini-program secret.")
    wechat_redirect_allowlist: list[str] = Field(
        default_factory=list,
        description="URLs `authWechatStart` may redirect to: same scheme, host, port and "
        "path; the redirectUri may add a query string. Empty: web sign-in refused.",
    )
    wechat_state_ttl_seconds: int = Field(
        600, ge=1, description="How long a `state` from `authWechatStart` stays usable."
    )
    wechat_http_timeout_seconds: float = Field(
        5.0, gt=0, description="Longest wait for each WeChat API answer (then WECHAT_TIMEOUT)."
    )

    max_query_depth: int = 12
    max_aliases: int = 30
    max_tokens: int = 5000
    max_body_bytes: int = 1024 * 1024
    max_json_depth: int = Field(
        64,
        description="Deepest nesting of arrays and objects in request JSON (HTTP bodies, GET "
        "variables, WebSocket messages); deeper is a 400 (WebSocket: closed with 4400).",
    )
    max_page_size: int = 100
    max_subscriptions_per_connection: int = 50
    max_sse_streams_per_user: int = Field(
        default=50,
        ge=1,
        description="Open GraphQL-over-SSE streams per signed-in user (anonymous callers: "
        "per client address) in one process; one more is refused with 429.",
    )
    introspection_enabled: bool = True
    fast_path_enabled: bool = Field(
        True,
        description="Serve validated public queries (the gallery feed) by compiled plans "
        "(schema/plan/, docs/performance.md) instead of field-by-field execution; the "
        "responses are the same bytes. Off: every operation takes the normal executor.",
    )
    graphiql_enabled: bool = True
    ws_allowed_origins: list[str] = Field(
        default_factory=list, description="Browser origins allowed to open WebSockets; '*' any."
    )

    registration_reward_points: int = 10

    # AI tasks: the generation worker and realtime delivery (docs/realtime.md).
    generation_worker_enabled: bool = Field(
        True, description="Run the generation worker in this process (app lifespan)."
    )
    generation_backend: Literal["embedded", "openai"] = Field(
        "embedded",
        description="`embedded`: the built-in deterministic generator (no network); `openai`: "
        "an OpenAI-compatible chat-completions API (OPENAI_BASE_URL, OPENAI_API_KEY, "
        "OPENAI_MODEL).",
    )
    openai_base_url: str = Field(
        "https://api.openai.com/v1", description="API root, without /chat/completions."
    )
    openai_api_key: str = Field("", description="Bearer key for the provider.")
    openai_model: str = Field("gpt-4o-mini", description="The model to ask.")
    openai_timeout_seconds: float = Field(60.0, description="Longest wait for the next bytes.")
    generation_words_per_second: float = Field(
        8.0, description="Pace of the embedded generator (words, one chunk each, per second)."
    )
    generation_word_count: int = Field(
        0, description="Words per embedded reply; 0: 40 to 90, chosen by the prompt."
    )
    generation_max_concurrency: int = Field(16, description="Generations one worker runs at once.")
    generation_lease_seconds: float = Field(
        12.0,
        description="A lease not renewed for this long means its worker stopped: another "
        "worker takes the task over and continues it.",
    )
    generation_heartbeat_seconds: float = Field(
        4.0, description="How often leases are renewed (well under the lease: 3 tries)."
    )
    generation_max_attempts: int = Field(
        3,
        description="Takeovers one generation may have (its worker died or shut down); the "
        "next one fails the task instead.",
    )
    generation_poll_seconds: float = Field(
        30.0, description="Queue poll when no wake-up arrives on the bus."
    )
    generation_sweep_seconds: float = Field(
        2.0,
        description="How often expired leases are looked for (and taken over) and idle "
        "service-driven tasks failed: a dead worker is noticed within lease + this.",
    )
    ai_task_idle_timeout_seconds: float = Field(
        600.0, description="A running task without a lease and without progress this long fails."
    )
    realtime_queue_size: int = Field(
        256, description="Messages a subscriber may fall behind before it is closed (4008)."
    )
    realtime_replay_page_size: int = Field(200, description="Stored events read per replay page.")
    realtime_resync_seconds: float = Field(
        30.0, description="A quiet subscription re-reads its stream this often (lost publishes)."
    )
    realtime_outage_poll_seconds: float = Field(
        1.0,
        gt=0,
        description="While the bus (Redis, PostgreSQL LISTEN) is unreachable, subscribers "
        "read their streams' logs this often, so live delivery goes on, this much later.",
    )
    shutdown_timeout_seconds: float = Field(
        10.0,
        gt=0,
        description="Longest the app's shutdown (worker stop, bus disconnect, database pool "
        "close) may take; whatever is left then is cut off (the pool's connections "
        "terminated).",
    )
    # Prometheus metrics at /metrics (observability/metrics.py; several processes share
    # values through PROMETHEUS_MULTIPROC_DIR, which prometheus_client reads itself).
    metrics_enabled: bool = Field(True, description="Serve Prometheus metrics at /metrics.")
    metrics_token: str = Field(
        "",
        description="When set, /metrics requires `Authorization: Bearer <token>` (else 401).",
    )
    # Garbage collection of a long-running server (docs/realtime.md): thousands of live
    # sockets make every full collection walk a large heap. Off by default (tests, scripts).
    gc_gen0_threshold: int = Field(
        0, description="Allocations between young collections; 0 keeps Python's (700)."
    )
    gc_freeze_after_startup: bool = Field(
        False, description="Move what start-up allocated out of the collector's reach."
    )

    # Hot reads (docs/performance.md): the anonymous public-response cache
    # (schema/public_cache.py) and persisted operations (schema/persisted.py).
    public_cache_enabled: bool = Field(
        True,
        description="Share anonymous results of public queries (gallery pages, public works, "
        "leaderboards).",
    )
    public_cache_ttl_seconds: float = Field(
        5.0,
        description="A cached result is dropped this long after it was read (plays emit no event).",
    )
    public_cache_max_entries: int = Field(2000, description="Most results kept per process.")
    public_cache_max_bytes: int = Field(
        64 * 1024 * 1024, description="Most bytes of results (as JSON) kept per process."
    )
    persisted_queries_enabled: bool = Field(
        True, description="Accept Apollo's automatic persisted queries (hash, then document)."
    )
    persisted_query_cache_size: int = Field(
        1000, description="Documents remembered by hash per process (least recently used out)."
    )
    persisted_operations_only: bool = Field(
        False,
        description="Run only the documents of persisted-operations.json (by hash or in full); "
        "meant for production.",
    )

    # Operating it: logs and tracing (observability/, README "Operate it").
    log_format: Literal["auto", "json", "text"] = Field(
        "auto",
        description="`json`: one JSON object per line (request_id, trace_id, exc_info as "
        "fields; uvicorn's lines too); `text`: one readable line; `auto`: json when "
        "ENVIRONMENT=production, else text.",
    )
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"] = Field(
        "INFO", description="The least severe records logged (any case)."
    )
    tracing_enabled: bool = Field(
        False,
        description="Record OpenTelemetry spans (each HTTP request, GraphQL operation and "
        "resolver) and export them (TRACING_EXPORTER).",
    )
    tracing_exporter: Literal["otlp", "console"] = Field(
        "otlp",
        description="`otlp`: OTLP over HTTP to OTEL_EXPORTER_OTLP_ENDPOINT; `console`: "
        "print spans to stdout.",
    )
    otel_service_name: str = Field("genarrative", description="service.name of the spans.")
    otel_exporter_otlp_endpoint: str = Field(
        "",
        description="The collector's base URL (`/v1/traces` is appended); empty: the "
        "OTel SDK's default, http://localhost:4318.",
    )

    @field_validator("log_level", mode="before")
    @classmethod
    def _upper_case_level(cls, value: object) -> object:
        # `info` is INFO; anything else is refused as the operator wrote it.
        if isinstance(value, str) and value.upper() in logging.getLevelNamesMapping():
            return value.upper()
        return value

    def log_lines(self) -> Literal["json", "text"]:
        """The log format in use: LOG_FORMAT, with `auto` resolved by ENVIRONMENT."""
        if self.log_format == "auto":
            return "json" if self.environment == "production" else "text"
        return self.log_format

    # Assets (docs/domain.md, "Assets").
    asset_storage_dir: str = Field("var/storage", description="Local storage root for asset bytes.")
    asset_bucket: str = Field("genarrative", description="Bucket name recorded on objects.")
    asset_max_bytes: int = Field(20 * 1024 * 1024, description="Largest upload (bytes).")
    asset_upload_ttl_seconds: int = Field(15 * 60, description="How long an upload ticket lives.")
    asset_read_url_ttl_seconds: int = Field(15 * 60, description="How long a read URL lives.")
    asset_allowed_content_types: list[str] = Field(
        default_factory=lambda: [
            "image/png",
            "image/jpeg",
            "image/webp",
            "image/gif",
            "model/gltf-binary",
            "video/mp4",
            "video/webm",
            "audio/mpeg",
            "audio/ogg",
            "audio/wav",
        ],
        description="Content types an upload may declare.",
    )

    # Image generation, an AI-task kind (docs/images.md).
    image_backend: Literal["", "embedded", "openai"] = Field(
        "",
        description="`embedded`: deterministic PNGs drawn here (no network); `openai`: an "
        "OpenAI-compatible images API (OPENAI_BASE_URL, OPENAI_API_KEY, OPENAI_IMAGE_MODEL); "
        "empty: the same as GENERATION_BACKEND.",
    )
    image_daily_quota: int = Field(
        50, description="Image generations one user may ask for per Beijing day (a row)."
    )
    openai_image_model: str = Field("gpt-image-1", description="The images model to ask.")
    openai_image_timeout_seconds: float = Field(
        120.0, description="Longest wait for the provider's image (one whole response)."
    )

    # Runs of every play type (docs/runs.md).
    run_limit: int = Field(
        20,
        description="Most unfinished (RUNNING or PAUSED) runs one user may have, all play types.",
    )
    run_sweeper_enabled: bool = Field(
        True, description="Run the periodic expiry sweep and event purge in this process."
    )
    run_sweep_seconds: float = Field(
        10.0, description="How often running runs past their time limit are expired."
    )
    run_purge_seconds: float = Field(
        3600.0, description="How often event streams of runs finished long ago are purged."
    )
    run_event_retention_days: int = Field(
        30, description="Event streams of runs finished longer ago than this are purged."
    )

    # Puzzle runs (docs/creation.md, "Puzzle runs and leaderboards").
    puzzle_run_time_limit_seconds: int = Field(
        1800,
        description="A puzzle run's time limit for all its levels (read at its start); past "
        "it the run is EXPIRED (TIME_UP).",
    )

    # Match3D runs (docs/match3d.md).
    match3d_run_time_limit_seconds: int = Field(
        300,
        description="A Match3D run's time limit when its work sets none (`timeLimitSeconds`, "
        "30 to 1800, read at its start); past it the run is EXPIRED (TIME_UP).",
    )

    # Visual-novel runs (docs/visual-novel.md).
    visual_novel_run_time_limit_seconds: int = Field(
        3600,
        description="A visual-novel run's time limit (read at its start); past it the run is "
        "EXPIRED (TIME_UP). Text turns wait for the AI, so it is longer than a puzzle's.",
    )

    # Square-hole runs (docs/square-hole.md).
    square_hole_run_time_limit_seconds: int = Field(
        300,
        description="A square-hole run's time limit (read at its start); past it the run "
        "is EXPIRED (TIME_UP) with the shapes not dropped yet.",
    )

    # Big-fish live runs (docs/big-fish.md).
    big_fish_tick_hz: int = Field(
        10, ge=1, le=60, description="Ticks per second of a live big-fish run (fixed step 1/hz)."
    )
    big_fish_pause_seconds: float = Field(
        5.0,
        gt=0,
        description="A live big-fish run with no frame subscriber for this long is PAUSED "
        "(its clock stops) and its lease released; any process resumes it.",
    )
    big_fish_inputs_per_second: int = Field(
        30, ge=1, description="Inputs one big-fish run accepts per second (RATE_LIMITED above)."
    )
    big_fish_lease_seconds: float = Field(
        3.0,
        gt=1,
        description="The ticking process's lease on a run, renewed at every save (once a "
        "second): a process that died is replaced after this long.",
    )

    # Runtime profile (profile / economy / analytics; docs/profile.md).
    invite_inviter_reward_points: int = Field(20, description="Points for the inviter, once.")
    invite_invitee_reward_points: int = Field(10, description="Points for the invitee, once.")
    redeem_max_failures: int = Field(10, description="Unknown codes before redeeming locks.")
    redeem_lockout_seconds: int = Field(15 * 60, description="Redeem lock and failure window.")
    feedback_max_images: int = 4
    feedback_max_image_bytes: int = Field(
        2 * 1024 * 1024,
        description="Decoded size per feedback image. Four full-size images need "
        "MAX_BODY_BYTES of about 12 MiB (base64 adds a third).",
    )
    profile_state_max_bytes: int = Field(
        256 * 1024, description="Serialized game state + story of a snapshot or save."
    )
    payment_channels: list[str] = Field(
        default_factory=lambda: ["wechat", "alipay", "apple", "mock"],
        description="Payment channels an order may name.",
    )


class ConfigurationError(SystemExit):
    """A setting this process cannot start with. It ends the process (exit status 1) with
    one line on stderr, `genarrative: <SETTING>: <problem>; <what to do>`, and no traceback,
    wherever it is raised: at import (`uvicorn app:app`, `manage.py`) or in the app's
    lifespan (app.py turns it into uvicorn's one-line startup failure)."""

    def __init__(self, message: str) -> None:
        super().__init__(f"genarrative: {message}")


def _problems(error: ValidationError) -> str:
    parts = []
    for problem in error.errors():
        name = ".".join(str(part) for part in problem["loc"]).upper() or "settings"
        parts.append(f"{name}: {problem['input']!r} is invalid ({problem['msg']}); fix or unset it")
    return "; ".join(parts)


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings (cached; tests clear the cache after changing the env).

    An invalid value raises ConfigurationError, naming the variable."""
    try:
        settings = Settings()  # values come from the environment
    except ValidationError as error:
        raise ConfigurationError(_problems(error)) from None
    except SettingsError as error:
        field = re.search(r'field "(\w+)"', str(error))
        name = field.group(1).upper() if field else "settings"
        raise ConfigurationError(
            f"{name}: not valid JSON ({error.__cause__}); set it to a JSON list or unset it"
        ) from None
    if settings.environment == "production" and settings.jwt_secret == DEV_JWT_SECRET:
        raise ConfigurationError(
            "JWT_SECRET: not set, and ENVIRONMENT=production refuses the development secret; "
            "set JWT_SECRET to a long random string"
        )
    scheme = urlparse(settings.broadcast_url).scheme
    if scheme not in BROADCAST_SCHEMES:
        raise ConfigurationError(
            f"BROADCAST_URL: unsupported scheme "
            f"{scheme + '://' if scheme else repr(settings.broadcast_url)}; use memory://, "
            "redis://host:6379/0 or postgres://user@host:5432/db"
        )
    if (
        settings.generation_backend == "openai"
        and settings.generation_worker_enabled
        and not settings.openai_api_key
    ):
        raise ConfigurationError(
            "OPENAI_API_KEY: not set, and GENERATION_BACKEND=openai needs it for the "
            "generation worker; set OPENAI_API_KEY (any value for a local server that asks "
            "none) or GENERATION_BACKEND=embedded"
        )
    if (
        settings.image_backend == "openai"
        and settings.generation_worker_enabled
        and not settings.openai_api_key
    ):
        raise ConfigurationError(
            "OPENAI_API_KEY: not set, and IMAGE_BACKEND=openai needs it for the generation "
            "worker; set OPENAI_API_KEY (any value for a local server that asks none) or "
            "IMAGE_BACKEND=embedded"
        )
    return settings
