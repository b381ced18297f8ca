"""One panel per engagement stage in the sidebar."""
