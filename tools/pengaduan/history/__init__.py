"""Git history read, replayed into timelines and judged by the SOP's rules; working days; status at `now`."""
