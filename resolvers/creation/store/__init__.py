"""Every creation statement, by entity: agent turns (`operations`, the
`creation_agent_operation` table), the messages of a play type's conversation log
(`messages`, on the table its adapter names), and the SQL fragments other domains splice
into their own statements (`fragments`)."""
