"""Assets on the graph, and the upload/read routes."""
