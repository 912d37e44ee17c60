"""The admin-management API on the Python standard library (see ../README.md)."""
