"""Visual novels (docs/visual-novel.md): creation from a seed or from source assets, the
typed `VisualNovelResultDraft`, its gate, publication, and runs whose turns are choices or
text answered by the AI pipeline."""
