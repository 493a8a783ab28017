"""The data package model: descriptors opened safely, resources resolved, profiles and descriptor checks."""
