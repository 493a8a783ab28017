"""Loading: a data package's tables as DataFrames, typed by their Table Schemas."""
