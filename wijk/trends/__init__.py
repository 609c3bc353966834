"""The trends screen: series with breaks, comparisons, rankings, exports."""
