"""The person-level engine: struct-of-arrays people, admission lines, event calendars and the day loop."""
