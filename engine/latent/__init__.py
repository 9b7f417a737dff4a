"""The maths behind the latent-space views."""
