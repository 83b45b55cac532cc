"""The public gallery: one cross-type read model of published works, likes and plays."""
