"""Every statement of the assets domain, by entity: `objects` (`asset_object`), `bindings`
(`asset_entity_binding`), `events` (`asset_event`) and `tickets` (`assets_upload_ticket`)."""
