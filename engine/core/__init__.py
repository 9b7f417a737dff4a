"""The core: training settings, the session you step and rewind, its snapshots and history."""
