"""Every statement of the gallery, by entity: `works` (writes of the read model
`gallery_public_work`), `reading` (its reads, the feed's statement included), `likes`,
`plays` (daily play stats) and `events` (change events)."""
