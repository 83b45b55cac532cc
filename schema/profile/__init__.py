"""The runtime profile on the graph: settings, snapshot, browse history, saves, feedback."""
