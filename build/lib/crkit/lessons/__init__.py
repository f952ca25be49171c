"""What each notebook teaches: one module per notebook or group, with its tables and figures."""
