"""The mission file: schema and migrations, stations, reports, history."""
