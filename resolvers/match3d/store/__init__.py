"""Match3D's statements, by entity: creation sessions (`sessions`), works (`works`) and
run states (`runs`)."""
