"""The `pollcheck` command: thin subcommands over forms/, db/ and exports/."""
