"""What is stored: Piccolo tables per domain, migrations, engine setup. Imports only Piccolo."""
