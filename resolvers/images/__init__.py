"""Image generation, an AI-task kind (`image_generation`, docs/images.md): requests with a
daily quota, the backends (embedded drawing, an OpenAI-compatible images API) and the
runner that stores, confirms and binds a generated image through the assets domain."""
