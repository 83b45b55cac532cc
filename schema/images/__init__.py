"""Image generation on the graph: `imageGenerate`, `workCoverGenerate` (resolvers/images)."""
