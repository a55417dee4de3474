"""Excel workbooks and PDF documents made from the mission file."""
