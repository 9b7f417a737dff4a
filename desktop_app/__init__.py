"""The Autoencoder Lab window: views that draw engine snapshots, controls that ask the engine for work."""
