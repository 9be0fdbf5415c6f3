"""The organisation: districts with their towns and streets, departments, and officials."""
