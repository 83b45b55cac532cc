"""Every auth statement, by entity: accounts and identities (`users`), refresh sessions and
the access-token check (`sessions`), roles and service credentials (`credentials`), the
password lockout (`throttles`), phone codes (`phone_codes`), WeChat sign-in states
(`wechat_states`), and the SQL fragments other domains splice into their own statements
(`fragments`)."""
